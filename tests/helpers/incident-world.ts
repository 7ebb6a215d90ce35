/** A second-scale runbook with health checks, triggers, tasks and a two-level escalation, and helpers around it. */
import {
  createKeySpace,
  type Deployment,
  type Incident,
  type IncidentTopic,
  plainLiterals,
} from '../../src/core/index.ts';
import type { Harness } from './engine-harness.ts';
import { type FakeMonitoring, HANG } from './fake-monitoring.ts';

/**
 * The runbook; `url` serves /health (the fake monitoring server, or a refused port). `environments` replaces its
 * one (production); `alertCheck` adds an `alerts` alertmanager health check, verified and watched with the others.
 * `alertMatch` replaces the labels the `crit` trigger and the `alerts` check match (`{ severity: critical, service:
 * svc }`), e.g. with the seed's `{ severity: critical }`. `l1Within` replaces L1's respond_within (3s); `every`
 * the monitoring period's (1s); `webTimeout` the web check's (1s); `alertMin` the `crit` trigger's min (1).
 */
export function incidentRunbook(
  url: string,
  extra: {
    monitoringTo?: string;
    successAt?: string;
    environments?: string;
    alertCheck?: boolean;
    alertMatch?: string;
    l1Within?: string;
    every?: string;
    upTimeout?: string;
    webTimeout?: string;
    alertMin?: number;
    /** The deployment's one step's script (`echo shipped`). */
    ship?: string;
    /** The emergency stop's script. */
    emergencyStop?: string;
  } = {},
): string {
  const alerts = extra.alertCheck === true;
  const match = extra.alertMatch ?? '{ severity: critical, service: svc }';
  return `version: 1
service: svc
timezone: UTC
environments: { ${extra.environments ?? 'production: { default: true }'} }
channels: { deploy: "#deploy", incident: "#incident" }
people:
  ann: { name: Ann, slack: U1, pagerduty: PANN }
  ben: { name: Ben, slack: U2 }
  cat: { name: Cat, slack: U3, pagerduty: PCAT }
groups: { ops: [ann, ben], lead: [cat] }
permissions: { deploy: [ops, lead], rollback: [ops], abort: [ops] }
parameters: { version: { pattern: 'v\\d+\\.\\d+\\.\\d+' } }
gates: { go: { approvers: [ops] } }
steps:
  - { id: ship, title: Ship, needs: [go], run: '${extra.ship ?? 'echo shipped'}' }
health:
  - { id: web, title: GET /health, http: { url: "${url}/health", status: 200, timeout: ${extra.webTimeout ?? '1s'} } }
  - { id: up, title: Prometheus sees it up, prometheus: { query: "up", expect: "== 1" }${extra.upTimeout ? `, timeout: ${extra.upTimeout}` : ''} }
${alerts ? `  - { id: alerts, title: No critical alerts, alertmanager: { match: ${match} } }\n` : ''}monitoring:
  - id: watch
    title: First seconds
    from: 0s
    to: ${extra.monitoringTo ?? '1m'}
    every: ${extra.every ?? '1s'}
    checks: [web, up${alerts ? ', alerts' : ''}]
    owner: [ops]
    tasks: [{ title: Read the logs, owner: [ann] }, { title: Check the dashboards, owner: [ben] }]
success:
  - { id: early, title: Healthy early on, at: ${extra.successAt ?? '2s'}, require: [web] }
rollback:
  triggers:
    - { id: web-down, title: /health failing, health: [web], failing_for: 2s }
    - { id: errors, title: Errors worse than before, prometheus: { query: "errors" }, worse_than_baseline: 50% }
    - { id: crit, title: Critical alerts, alertmanager: { match: ${match} }, min: ${extra.alertMin ?? 1} }
    - { id: declared, manual: true }
  steps:
    - { id: undo, title: Undo, run: 'echo undone' }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention, pagerduty], respond_within: ${extra.l1Within ?? '3s'} }
    - { id: L2, notify: [lead], via: [mention, pagerduty], respond_within: 3s }
  repeat_last_every: 2s
emergency:
  stop: { title: Stop it, run: '${extra.emergencyStop ?? 'echo "stopped $PREFLIGHT_DEPLOYMENT_ID"'}' }
  logs: { title: Last log lines, run: 'echo "last log line of $PREFLIGHT_VERSION"' }
`;
}

/** Starts a deployment (by ann, approved by ben) and waits until it is monitored (or `until`, e.g. running). */
export async function deployLive(
  h: Harness,
  version: string,
  until: Deployment['state'] = 'monitoring',
): Promise<Deployment> {
  const started = await h.start(version, 'ann');
  if (!started.ok) throw started.error;
  const id = started.deployment.id;
  await h.waitFor(
    id,
    (d) => d.state === 'awaiting_gates' || d.state === 'scheduled' || d.state === 'running',
  );
  const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
  if (!approved.ok) throw approved.error;
  return h.waitFor(id, (d) => d.state === until, 30_000);
}

/** Waits until `predicate` holds, polling every 100 ms. */
export async function eventually<T>(
  read: () => Promise<T>,
  predicate: (value: T) => boolean,
  timeoutMs = 20_000,
  what = 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!predicate(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Waits until a health tick logged `check` in the deployment's health. */
export const firstHealthTick = (h: Harness, id: string, check: string) =>
  eventually(
    async () => h.preflight.redis.hget(createKeySpace(h.prefix).health(id), check),
    (entry) => entry !== null,
    20_000,
    'the first health tick',
  );

/** Makes the service take GET /health and never answer, and waits until a probe of it is held. */
export async function hangHealth(fake: FakeMonitoring): Promise<void> {
  fake.health = HANG;
  await eventually(
    async () => fake.healthHeld,
    (n) => n > 0,
    10_000,
    'a probe of /health held by the service',
  );
}

/** Waits until the Alertmanager poll asked `fake` `times` more times: what it still lists was seen after now. */
export async function alertPolls(fake: FakeMonitoring, times: number): Promise<void> {
  const from = fake.alertQueries;
  await eventually(
    async () => fake.alertQueries,
    (n) => n >= from + times,
    20_000,
    `${times} more polls of Alertmanager`,
  );
}

/** A trigger's last verdict, as the trigger tick recorded it (undefined before its first). */
export async function triggerVerdict(
  h: Harness,
  deploymentId: string,
  trigger: string,
): Promise<{ detail: string; at: number } | undefined> {
  const raw = await h.preflight.redis.hget(
    createKeySpace(h.prefix).health(`${deploymentId}:triggers`),
    trigger,
  );
  return raw === null ? undefined : (JSON.parse(raw) as { detail: string; at: number });
}

/** Waits until the deployment's pre-deploy baseline of `query` reads `value`. */
export const baselineTaken = (h: Harness, deploymentId: string, query: string, value: string) =>
  eventually(
    async () => h.preflight.redis.hget(createKeySpace(h.prefix).baseline(deploymentId), query),
    (b) => b === value,
    20_000,
    'the baseline',
  );

/** Every incident, newest first. */
export const incidents = (h: Harness): Promise<Incident[]> =>
  h.preflight.engine.incidents.list({ limit: 50 });

/** Texts of the notes posted in an incident's thread, outside text in them as written. */
export function incidentNotes(h: Harness, id: string): string[] {
  return h.incidentDeliveries
    .filter((d) => d.incidentId === id && d.effect.topic.kind === 'note')
    .map((d) => plainLiterals((d.effect.topic as Extract<IncidentTopic, { kind: 'note' }>).text));
}

/** Notes posted in a deployment's thread whose key starts with `prefix`. */
export function deploymentNotes(h: Harness, id: string, prefix: string) {
  return h.deliveries.filter(
    (d) => d.deploymentId === id && d.effect.topic.kind === 'note' && d.effect.topic.key.startsWith(prefix),
  );
}

/** A thread on the terminal chat: its channel and its root message. */
export interface ChatThread {
  readonly channel: string;
  readonly threadId: string;
}

/**
 * The thread of an incident's message in #incident, or of a deployment's status message in #deploy, as the sender
 * indexes them once posted: a command typed in it names its incident or deployment.
 */
export async function threadOf(h: Harness, owner: string): Promise<ChatThread> {
  const incident = owner.startsWith('INC-');
  const channel = incident ? '#incident' : '#deploy';
  const threadId = `m-${owner}`;
  await h.preflight.chat.index.save(owner, incident ? 'incident' : 'status', {
    platform: 'console',
    channel,
    id: threadId,
  });
  return { channel, threadId };
}

/** What `userId` is answered when typing `text` on the terminal chat: in #incident, or in `thread`. */
export async function typeIn(h: Harness, userId: string, text: string, thread?: ChatThread): Promise<string> {
  const answer = await h.preflight.chat.dispatcher.command({
    platform: 'console',
    userId,
    channel: thread?.channel ?? '#incident',
    text,
    ...(thread && { threadId: thread.threadId }),
  });
  return plainLiterals(answer?.text ?? '');
}
