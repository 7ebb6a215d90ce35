/** Step results, decisions and post-deploy verification. */
import {
  type ChatMessage,
  formatElapsed,
  literal,
  type Phase,
  resolvePeople,
  type StepResultSnapshot,
  stepDefinition,
} from '../../core/index.ts';
import { mentions, outputBlock, type RenderContext, STEP_ICON } from './format.ts';

/** One attempt's result, with its output tail (redacted before it was stored). */
export function renderStep(
  ctx: RenderContext,
  phase: Phase,
  stepId: string,
  attempt: number,
  run: StepResultSnapshot,
): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const def = stepDefinition(runbook, phase, stepId);
  if (!def) return { text: `Step ${stepId} is not part of this deployment.` };
  const index = phase === 'deploy' ? runbook.steps.findIndex((s) => s.id === stepId) : -1;
  const label =
    phase === 'deploy' ? `Step ${'label' in def && def.label ? def.label : index + 1}` : 'Rollback step';
  const title = def.title ?? def.id;
  const status = run.status;
  const duration = run.durationMs !== undefined ? ` in ${formatElapsed(run.durationMs)}` : '';
  const late = (run.lateMs ?? 0) > 1000 ? `, started ${formatElapsed(run.lateMs ?? 0)} late` : '';
  const tries = attempt > 1 ? ` (attempt ${attempt})` : '';
  const what =
    status === 'succeeded'
      ? `succeeded${duration}`
      : status === 'timed_out'
        ? `timed out${duration}`
        : status === 'canceled'
          ? 'was stopped'
          : `failed${run.failure ? `: ${literal(run.failure)}` : run.exitCode !== undefined ? ` with exit code ${run.exitCode}` : ''}${duration}`;
  const output = outputBlock(run.outputTail, `${d.id}-${stepId}-${attempt}.log`);
  return {
    text: `${STEP_ICON[status]} ${label} *${title}* ${what}${tries}${late}${output.text}`,
    tone: status === 'succeeded' ? 'good' : 'bad',
    ...(output.attachment && { attachment: output.attachment }),
  };
}

/** The words of a decision's buttons, by choice. */
export const DECISION_LABELS: Readonly<Record<string, string>> = {
  retry: 'Retry',
  skip: 'Skip',
  rollback: 'Roll back',
  run: 'Run it',
};

/** A decision the operators must take, with one button per choice. */
export function renderDecision(ctx: RenderContext): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const decision = d.decision;
  if (!decision) return { text: 'The decision was taken.' };
  const who = resolvePeople(runbook, runbook.permissions.decide ?? runbook.permissions.deploy);
  const choices = decision.options.join('|');
  return {
    text: `❓ *Decision needed* (${d.id}): ${decision.reason}.\n${mentions(who)}: choose with \`/deploy decide ${choices} ${d.id}\` or a button.`,
    tone: 'warning',
    buttons: decision.options.map((o) => ({
      action: 'decide' as const,
      label: DECISION_LABELS[o] ?? o,
      value: `${d.id}:${o}:${decision.askedAt}`,
      ...(o === 'rollback'
        ? { style: 'danger' as const }
        : o === 'retry' || o === 'run'
          ? { style: 'primary' as const }
          : {}),
    })),
  };
}

/** Post-deploy verification: every health check, passed or not. */
export function renderVerification(ctx: RenderContext): ChatMessage {
  const v = ctx.deployment.verification;
  if (!v) return { text: '🩺 Post-deploy health checks are running.' };
  return v.passed
    ? { text: `🩺 Post-deploy health checks pass: ${literal(v.detail)}`, tone: 'good' }
    : { text: `🩺 Post-deploy health checks FAIL: ${literal(v.detail)}`, tone: 'bad' };
}
