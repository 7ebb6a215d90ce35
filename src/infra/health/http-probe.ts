/** The `http` health check: one request whose status and body are held against the expectation. */
import type { HealthResult, RunbookHealthCheck } from '../../core/index.ts';
import { fetchBounded, type ProbeContext } from './fetch-bounded.ts';

export type HttpProbe = NonNullable<RunbookHealthCheck['http']>;

const MAX_BODY_BYTES = 64 * 1024;

/** `HTTP 200 in 12 ms`, `HTTP 503 (expected 200)`, `body does not contain "ok"`; `value` is the response time in ms. */
export async function probeHttp(id: string, probe: HttpProbe, context: ProbeContext): Promise<HealthResult> {
  const response = await fetchBounded({
    ...context,
    url: probe.url,
    method: probe.method ?? 'GET',
    maxBytes: MAX_BODY_BYTES,
    timeoutMs: probe.timeout ?? context.timeoutMs,
  });
  if (!response.ok) return { id, passed: false, detail: response.detail };
  const { status, body, truncated, durationMs } = response;
  if (!matchesStatus(status, probe.status)) {
    return {
      id,
      passed: false,
      detail: `HTTP ${status} (expected ${describeStatus(probe.status)})`,
      value: durationMs,
    };
  }
  if (probe.contains !== undefined && !body.includes(probe.contains)) {
    const where = truncated ? ' (in its first 64 KB)' : '';
    return {
      id,
      passed: false,
      detail: `body does not contain ${JSON.stringify(probe.contains)}${where}`,
      value: durationMs,
    };
  }
  return { id, passed: true, detail: `HTTP ${status} in ${durationMs} ms`, value: durationMs };
}

function matchesStatus(status: number, expected: HttpProbe['status']): boolean {
  if (expected === undefined) return status >= 200 && status < 300;
  return typeof expected === 'number' ? status === expected : expected.includes(status);
}

/** `2xx`, `200`, `200 or 204`, `200, 204 or 301` */
function describeStatus(expected: HttpProbe['status']): string {
  if (expected === undefined) return '2xx';
  if (typeof expected === 'number') return String(expected);
  const last = expected.at(-1);
  return expected.length === 1 ? String(last) : `${expected.slice(0, -1).join(', ')} or ${last}`;
}
