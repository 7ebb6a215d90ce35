/**
 * Monitoring ticks: the health summary of a period (one message per period, edited in place when a check changes
 * state, each change kept in the audit log) and the trigger ticks that judge rollback triggers.
 */
import { type Deployment, type HealthResult, literal, type Runbook } from '../../core/index.ts';
import { stateOf } from '../health-log.ts';
import { evaluateTriggers } from './evaluate-triggers.ts';
import { probeAndRecord } from './probe-and-record.ts';
import { summarizeHealth } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { triggerCadence } from './trigger-cadence.ts';

/**
 * One health tick of monitoring period `window`: probe, record, post or edit the period's message. A check whose
 * earlier probe has not answered yet is shown as last seen: the tick does not wait for it.
 */
export async function runHealthTick(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  window: number,
): Promise<void> {
  const period = runbook.monitoring?.[window];
  if (!period?.checks?.length) return;
  const probing = await probeAndRecord(deps, runbook, deployment, period.checks);
  await Promise.all([...probing.started].map((id) => probing.answers.get(id)));
  const seen = await deps.monitoring.snapshot(deployment.id);
  const results = period.checks.map(
    (id): HealthResult =>
      seen.find((h) => h.id === id) ?? {
        id,
        passed: false,
        unknown: true,
        detail: 'no answer yet: its first probe is still running',
      },
  );
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

/** One trigger tick: probe the checks triggers watch and judge every trigger, each as soon as it can be. */
export async function runTriggerTick(deps: ProcessorDeps, runbook: Runbook, deployment: Deployment) {
  const watched = (runbook.rollback?.triggers ?? []).flatMap((t) => t.health ?? []);
  const probing = await probeAndRecord(deps, runbook, deployment, watched);
  await evaluateTriggers(deps, runbook, deployment, triggerCadence(runbook), probing);
}
