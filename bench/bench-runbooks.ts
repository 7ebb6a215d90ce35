/** The runbooks the bench deploys: trivial bash steps, so what is measured is Preflight, not the steps. */

export const ANN = 'U0ANN0001';
export const BOB = 'U0BOB0001';

const people = `people:
  ann: { name: Ann, slack: ${ANN}, pagerduty: PANN001 }
  bob: { name: Bob, slack: ${BOB}, pagerduty: PBOB001 }
groups: { ops: [ann, bob] }
permissions: { deploy: [ops], rollback: [ops], incident: [ops], decide: [ops] }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
`;

/**
 * The 50-step deployment's step, and the raw serial baseline's command: a bash builtin like `true`, that prints
 * when its process runs (µs), so a step start is read where it happens, not off the engine's ms timestamps.
 */
export const SOLO_STEP = 'echo $EPOCHREALTIME';

/** Gated deployments approved first and not counted: they compile the path in a fresh process (as for the acks). */
export const APPROVAL_WARMUPS = 2;

/** `e001` … */
export function environmentNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `e${String(i + 1).padStart(3, '0')}`);
}

function environments(count: number): string {
  return `environments: { ${environmentNames(count)
    .map((e, i) => `${e}: {${i === 0 ? ' default: true ' : ''}}`)
    .join(', ')} }`;
}

function steps(count: number, run: string): string {
  return Array.from(
    { length: count },
    (_, i) => `  - { id: s${i + 1}, title: Step ${i + 1}, run: "${run}" }`,
  ).join('\n');
}

function header(service: string, envs: number, channel: string): string {
  return `version: 1
service: ${service}
timezone: UTC
${environments(envs)}
channels: { deploy: "#${channel}", incident: "#${channel}-incidents" }
${people}escalation:
  levels:
    - { id: L1, notify: [ann], via: [pagerduty], respond_within: 1s }
    - { id: L2, notify: [bob], via: [pagerduty], respond_within: 15m }
`;
}

/** One service per runbook, each in its own channel so the figures do not share a channel's pace. */
export function benchRunbooks(burstEnvironments: number): Record<string, string> {
  return {
    'solo.yaml': `${header('solo', 1, 'solo')}steps:\n${steps(50, SOLO_STEP)}\n`,
    'burst.yaml': `${header('burst', burstEnvironments, 'burst')}steps:\n${steps(10, 'true')}\n`,
    'gated.yaml': `${header('gated', 20 + APPROVAL_WARMUPS, 'gated')}gates:
  ok: { title: Go, approvers: [ops], required: 1, allow_self: true }
steps:
  - { id: first, title: First, needs: [ok], run: 'echo $EPOCHREALTIME' }
`,
    'pager.yaml': `${header('pager', 40, 'pager')}steps:\n${steps(1, 'true')}\n`,
    'history.yaml': `${header('history', 2, 'history')}steps:\n${steps(2, 'true')}\n`,
  };
}
