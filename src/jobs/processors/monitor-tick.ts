/**
 * Monitoring ticks: the health summary of a period (one message per period, edited in place when a check changes
 * state, each change kept in the audit log) and the trigger ticks that judge rollback triggers.
 */
import { type Deployment, literal, type Runbook } from '../../core/index.ts';
import { stateOf } from '../health-log.ts';
import { evaluateTriggers } from './evaluate-triggers.ts';
import { probeChecks, summarizeHealth } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { recordHealth } from './record-health.ts';
import { triggerCadence } from './trigger-cadence.ts';

/** One health tick of monitoring period `window`: probe, record, post or edit the period's message. */
export async function runHealthTick(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  window: number,
): Promise<void> {
  const period = runbook.monitoring?.[window];
  if (!period?.checks?.length) return;
  const results = await probeChecks(deps, runbook, deployment, period.checks);
  await recordHealth(deps, deployment, results);
  const signature = results.map((r) => `${r.id}=${stateOf(r)}`).join(',');
  const before = await deps.monitoring.summarySignature(deployment.id, window);
  if (before === signature) return;
  await deps.monitoring.saveSummarySignature(deployment.id, window, signature);
  const at = new Date(deps.engine.clock.now()).toISOString().slice(11, 19);
  const failing = results.filter((r) => !r.passed && !r.unknown).length;
  const icon = failing > 0 ? '🔴' : results.some((r) => r.unknown) ? '🟡' : '🟢';
  await deps.notifier.deliver(deployment.id, {
    type: before === undefined ? 'post' : 'refresh',
    topic: {
      kind: 'note',
      key: `health:${window}`,
      text: `${icon} Health (${period.title ?? period.id ?? 'monitoring'}): ${literal(summarizeHealth(results))} · last change ${at} UTC`,
    },
  });
}

/** One trigger tick: probe the checks triggers watch, then judge every trigger. */
export async function runTriggerTick(deps: ProcessorDeps, runbook: Runbook, deployment: Deployment) {
  const watched = [...new Set((runbook.rollback?.triggers ?? []).flatMap((t) => t.health ?? []))];
  if (watched.length > 0)
    await recordHealth(deps, deployment, await probeChecks(deps, runbook, deployment, watched));
  await evaluateTriggers(deps, runbook, deployment, triggerCadence(runbook), new Set(watched));
}
