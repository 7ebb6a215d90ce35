/**
 * One rollback trigger's verdict: firing, quiet, or unknown (its monitoring could not tell). Unknown never fires a
 * trigger: an unreachable Prometheus or Alertmanager is a monitoring problem, not a service failure.
 */
import {
  type Deployment,
  formatDuration,
  type HealthResult,
  judgeDegradation,
  type Measurement,
  type Runbook,
  type RunbookTrigger,
} from '../../core/index.ts';
import { probeAnswered } from './probe-and-record.ts';
import type { ProcessorDeps } from './processor-deps.ts';

export interface TriggerVerdict {
  readonly state: 'firing' | 'quiet' | 'unknown';
  readonly detail: string;
  readonly measured?: Measurement;
  /** The firing alerts of an alertmanager trigger (`fingerprint@startsAt`), as the webhook names them. */
  readonly alerts?: readonly string[];
}

export interface JudgeOptions {
  /**
   * Probe the trigger's health checks now (within FRESH_ANSWER_MS, else as last seen) and count a failure at once:
   * the re-check before a page.
   */
  readonly fresh?: boolean;
  /** The environment judged when there is no deployment (an incident of a service and environment). */
  readonly environment?: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

async function judgeHealth(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment,
  trigger: RunbookTrigger,
  now: number,
  options: JudgeOptions,
): Promise<TriggerVerdict> {
  const ids = trigger.health ?? [];
  const entries: (HealthResult & { since: number; failingSince?: number })[] = options.fresh
    ? (await probeAnswered(deps, runbook, deployment, ids)).map((r) => ({ ...r, since: now }))
    : (await deps.monitoring.snapshot(deployment.id)).filter((h) => ids.includes(h.id));
  const need = options.fresh ? 0 : (trigger.failing_for ?? 0);
  const failing = entries.filter((h) => !h.passed && !h.unknown);
  // Counted from the first failure: unknown answers in between do not restart it.
  const began = (h: (typeof entries)[number]) => h.failingSince ?? h.since;
  const long = failing.filter((h) => now - began(h) >= need);
  if (long.length > 0) {
    const span = seconds(now - Math.min(...long.map(began)));
    const detail = `${long.map((f) => `${f.id} (${f.detail})`).join(', ')} failing${options.fresh ? '' : ` for ${formatDuration(span)}`}`;
    return {
      state: 'firing',
      detail,
      measured: {
        what: `seconds ${long.map((f) => f.id).join(', ')} failing`,
        value: span / 1000,
        threshold: need / 1000,
      },
    };
  }
  const unknown = entries.filter((h) => h.unknown);
  if (unknown.length > 0 && failing.length === 0)
    return { state: 'unknown', detail: unknown.map((u) => `${u.id} unknown (${u.detail})`).join(', ') };
  if (failing.length > 0)
    return { state: 'quiet', detail: `${failing.map((f) => f.id).join(', ')} failing, not yet for long` };
  return { state: 'quiet', detail: `${ids.join(', ')} passing` };
}

/** Judges one trigger now. Manual triggers are never judged: a person declares them. */
export async function judgeTrigger(
  deps: ProcessorDeps,
  runbook: Runbook,
  deployment: Deployment | undefined,
  trigger: RunbookTrigger,
  options: JudgeOptions = {},
): Promise<TriggerVerdict> {
  const now = deps.engine.clock.now();
  if (trigger.health) {
    if (!deployment) return { state: 'unknown', detail: 'no deployment to check' };
    return judgeHealth(deps, runbook, deployment, trigger, now, options);
  }
  if (trigger.alertmanager) {
    const min = trigger.min ?? 1;
    // Only the alerts of the environment judged: a staging alert is no failure of the production deployment.
    const environment = deployment?.environment ?? options.environment;
    const result = await deps.health.probe(
      {
        id: trigger.id,
        alertmanager: {
          match: trigger.alertmanager.match,
          max: min - 1,
          ...(trigger.alertmanager.url && { url: trigger.alertmanager.url }),
        },
      },
      environment === undefined ? {} : { environment: { name: environment, runbook } },
    );
    if (result.unknown) return { state: 'unknown', detail: result.detail };
    const count = result.value ?? 0;
    const measured = { what: 'firing alerts', value: count, threshold: min };
    return result.passed
      ? { state: 'quiet', detail: result.detail, measured }
      : {
          state: 'firing',
          detail: result.detail,
          measured,
          ...(result.alerts !== undefined && { alerts: result.alerts }),
        };
  }
  if (trigger.prometheus && trigger.worse_than_baseline !== undefined) {
    const query = trigger.prometheus.query;
    const baseline = deployment ? await deps.monitoring.baseline(deployment.id, trigger.id) : undefined;
    // Without a baseline or a floor there is nothing to compare with: not worth a query.
    if (baseline === undefined && trigger.min_baseline === undefined)
      return { state: 'unknown', detail: `no pre-deploy baseline for ${query}` };
    const result = await deps.health.probe(
      {
        id: trigger.id,
        prometheus: { query, ...(trigger.prometheus.url && { url: trigger.prometheus.url }) },
      },
      {},
    );
    if (result.value === undefined)
      return { state: 'unknown', detail: result.unknown ? result.detail : `${query}: ${result.detail}` };
    return judgeDegradation({
      query,
      value: result.value,
      baseline,
      worseThan: trigger.worse_than_baseline,
      minBaseline: trigger.min_baseline,
    });
  }
  return { state: 'quiet', detail: 'nothing to measure' };
}
