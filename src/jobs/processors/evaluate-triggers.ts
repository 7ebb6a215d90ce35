/**
 * Rollback triggers, checked on every monitoring tick: a health check failing for long enough, too many firing
 * alerts, a Prometheus value worse than its pre-deploy baseline. A firing trigger opens an incident (one per
 * deployment) with the health it saw, and with `rollback.automatic` asks for the rollback itself.
 */
import {
  applyEvent,
  type Deployment,
  formatDuration,
  type HealthResult,
  openIncidentFor,
  type Runbook,
  type RunbookTrigger,
} from '../../core/index.ts';
import { summarizeHealth } from './probe-checks.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** Measures each Prometheus trigger's query now and keeps it as the deployment's baseline. */
export async function captureBaselines(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
): Promise<void> {
  for (const trigger of runbook.rollback?.triggers ?? []) {
    if (!trigger.prometheus) continue;
    const result = await deps.health.probe(
      {
        id: trigger.id,
        prometheus: {
          query: trigger.prometheus.query,
          ...(trigger.prometheus.url && { url: trigger.prometheus.url }),
        },
      },
      {},
    );
    if (result.value !== undefined)
      await deps.monitoring.saveBaseline(deployment.id, trigger.id, result.value);
  }
}

async function fired(
  deps: ProcessorDeps,
  deployment: Deployment,
  trigger: RunbookTrigger,
  now: number,
): Promise<string | undefined> {
  if (trigger.health) {
    const health = await deps.monitoring.snapshot(deployment.id);
    const failing = health.filter(
      (h) => trigger.health?.includes(h.id) && !h.passed && now - h.since >= (trigger.failing_for ?? 0),
    );
    if (failing.length === 0) return undefined;
    const span = formatDuration(Math.floor((now - Math.min(...failing.map((f) => f.since))) / 1000) * 1000);
    return `${failing.map((f) => `${f.id} (${f.detail})`).join(', ')} failing for ${span}`;
  }
  if (trigger.alertmanager) {
    const min = trigger.min ?? 1;
    const result = await deps.health.probe(
      {
        id: trigger.id,
        alertmanager: {
          match: trigger.alertmanager.match,
          max: min - 1,
          ...(trigger.alertmanager.url && { url: trigger.alertmanager.url }),
        },
      },
      {},
    );
    return result.passed ? undefined : result.detail;
  }
  if (trigger.prometheus && trigger.worse_than_baseline !== undefined) {
    const baseline = await deps.monitoring.baseline(deployment.id, trigger.id);
    if (baseline === undefined) return undefined;
    const result = await deps.health.probe(
      {
        id: trigger.id,
        prometheus: {
          query: trigger.prometheus.query,
          ...(trigger.prometheus.url && { url: trigger.prometheus.url }),
        },
      },
      {},
    );
    if (result.value === undefined) return undefined;
    const limit = baseline === 0 ? 0 : baseline * (1 + trigger.worse_than_baseline);
    if (result.value <= limit || (baseline === 0 && result.value === 0)) return undefined;
    const shown = (n: number) => (Math.abs(n) < 1000 ? String(Number(n.toPrecision(4))) : String(n));
    return `${trigger.prometheus.query} = ${shown(result.value)} against a baseline of ${shown(baseline)} (more than ${Math.round(trigger.worse_than_baseline * 100)}% worse)`;
  }
  return undefined;
}

/** Checks every trigger; opens an incident on the first that fires. */
export async function evaluateTriggers(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  latest: readonly HealthResult[],
): Promise<void> {
  const now = deps.engine.clock.now();
  for (const trigger of runbook.rollback?.triggers ?? []) {
    if (trigger.manual) continue;
    const why = await fired(deps, deployment, trigger, now);
    if (why === undefined) continue;
    const outcome = await openIncidentFor(deps.engine, {
      deploymentId: deployment.id,
      title: `${trigger.title ?? trigger.id}: ${why}, after ${deployment.id} (${deployment.version})`,
      trigger: trigger.id,
      openedBy: 'preflight',
      health: summarizeHealth(latest),
    });
    if (!outcome.ok || outcome.existing) return;
    deps.log.warn(
      { deployment: deployment.id, incident: outcome.incident.id, trigger: trigger.id },
      'rollback trigger fired',
    );
    if (runbook.rollback?.automatic === true) {
      await applyEvent(deps.engine, deployment.id, {
        type: 'rollback.request',
        by: 'preflight',
        reason: `trigger ${trigger.id} fired (${outcome.incident.id})`,
      });
    }
    return;
  }
}
