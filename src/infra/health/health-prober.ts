/** The HealthProber over HTTP: `http`, `prometheus` and `alertmanager` checks. Command checks are not its job. */
import type { HealthProber, HealthResult, ProbeOptions, RunbookHealthCheck } from '../../core/index.ts';
import { probeAlertmanager } from './alertmanager-probe.ts';
import type { ProbeContext } from './fetch-bounded.ts';
import { probeHttp } from './http-probe.ts';
import { probePrometheus } from './prometheus-probe.ts';

export interface HealthProberDeps {
  /** Base URL for prometheus checks without their own `url` (PROMETHEUS_URL). */
  readonly prometheusUrl?: string;
  /** Base URL for alertmanager checks without their own `url` (ALERTMANAGER_URL). */
  readonly alertmanagerUrl?: string;
  /** Request deadline when the check sets no `timeout` (default 10 s). */
  readonly defaultTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createHealthProber(deps: HealthProberDeps): HealthProber {
  const request = deps.fetch ?? ((input, init) => fetch(input, init));
  return {
    async probe(check: RunbookHealthCheck, options: ProbeOptions): Promise<HealthResult> {
      if (check.run !== undefined || check.argv !== undefined) {
        throw new Error(`health check ${check.id} runs a command; command checks are run by the job layer`);
      }
      const context: ProbeContext = {
        fetch: request,
        timeoutMs: check.timeout ?? deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(options.signal !== undefined && { signal: options.signal }),
      };
      if (check.http) return probeHttp(check.id, check.http, context);
      if (check.prometheus) {
        const base = deps.prometheusUrl === undefined ? {} : { baseUrl: deps.prometheusUrl };
        return probePrometheus(check.id, check.prometheus, { ...context, ...base });
      }
      if (check.alertmanager) {
        const base = deps.alertmanagerUrl === undefined ? {} : { baseUrl: deps.alertmanagerUrl };
        const scope = options.environment === undefined ? {} : { environment: options.environment };
        return probeAlertmanager(check.id, check.alertmanager, { ...context, ...base, ...scope });
      }
      throw new Error(`health check ${check.id} has no http, prometheus or alertmanager probe`);
    },
  };
}
