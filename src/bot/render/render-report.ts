/** The final report: outcome, who approved, every step with its planned and actual times. */
import {
  type ChatMessage,
  DEPLOYMENT_STATES,
  describeState,
  formatElapsed,
  gateDefinition,
  isFinal,
  literal,
  type Runbook,
  type StepRun,
} from '../../core/index.ts';
import { clock, headline, type RenderContext, STATE_ICON } from './format.ts';

/** A step's status in words: a skipped step that had run failed first, and a person chose to go on without it. */
const statusWords = (step: StepRun): string =>
  step.status === 'skipped' && step.attempt > 0 ? 'failed, then skipped' : step.status;

function stepLine(runbook: Runbook, step: StepRun, index: number, final: boolean): string {
  const def = runbook.steps[index];
  const label = def?.label ?? String(index + 1);
  const planned = def?.at ? ` planned ${def.at.text}` : '';
  // A clock time: an offset from the run's start read wrong once a pause had moved that start.
  const started = step.startedAt !== undefined ? `, started ${clock(step.startedAt, runbook.timezone)}` : '';
  const late = (step.lateMs ?? 0) > 1000 ? ` (${formatElapsed(step.lateMs ?? 0)} late)` : '';
  const duration = step.durationMs !== undefined ? ` ${formatElapsed(step.durationMs)}` : '';
  const attempts = step.attempt > 1 ? `, ${step.attempt} attempts` : '';
  // A step still running in a report of a stopped deployment is being stopped; its end follows in the thread.
  const status = step.status === 'running' && final ? 'running when stopped' : statusWords(step);
  return `${label}. ${def?.title ?? step.id}: ${status}${duration}${planned}${started}${late}${attempts}`;
}

/**
 * Renders the report posted when a deployment reaches monitoring or a final state; `made` says when and how it got
 * there, for a report sent after the deployment moved on.
 */
export function renderReport(
  ctx: RenderContext,
  state: string,
  made: { readonly at?: number; readonly outcome?: string } = {},
): ChatMessage {
  const { deployment: d, runbook, now } = ctx;
  const end = made.at ?? d.finishedAt ?? now;
  const outcome = made.outcome ?? d.outcome;
  const reached = DEPLOYMENT_STATES.find((s) => s === state) ?? d.state;
  const lines = [
    `${STATE_ICON[reached]} *Report* ${headline(d)}: ${describeState(reached)}`,
    `Requested by @{${d.requestedBy}} at ${clock(d.requestedAt, runbook.timezone)} · ${state === 'monitoring' ? 'steps done' : 'finished'} at ${clock(end, runbook.timezone)} · total ${formatElapsed(end - d.requestedAt)}`,
  ];
  if (outcome) lines.push(`Outcome: ${outcome}`);
  const approvals = d.gates
    .filter((g) => g.status === 'approved' && g.approvals.length > 0)
    .map(
      (g) =>
        `${gateDefinition(runbook, g.id)?.title ?? g.id}: ${g.approvals.map((a) => runbook.people[a.by]?.name ?? a.by).join(', ')}`,
    );
  if (approvals.length > 0) lines.push(`Approved by: ${approvals.join('; ')}`);
  lines.push('Steps:', ...d.steps.map((s, i) => `  ${stepLine(runbook, s, i, isFinal(d))}`));
  if (d.rollback?.started) {
    lines.push(
      'Rollback:',
      ...d.rollback.steps.map(
        (s, i) =>
          `  ${i + 1}. ${runbook.rollback?.steps.find((r) => r.id === s.id)?.title ?? s.id}: ${statusWords(s)}${s.durationMs !== undefined ? ` ${formatElapsed(s.durationMs)}` : ''}`,
      ),
    );
  }
  if ((d.success ?? []).length > 0)
    lines.push(
      'Success criteria:',
      ...(d.success ?? []).map(
        (s) => `  ${s.met ? '✅' : '❌'} ${s.title}: ${s.met ? 'met' : 'NOT met'}. ${literal(s.detail)}`,
      ),
    );
  if (state === 'monitoring')
    lines.push('Monitoring now runs as the runbook says; health changes are posted here.');
  lines.push(`Audit log: \`preflight audit verify ${d.id}\``);
  const tone = ['succeeded', 'monitoring', 'rolled_back'].includes(reached) ? 'good' : 'bad';
  return { text: lines.join('\n'), tone };
}
