/** The `prometheus` health check: an instant query whose every sample must satisfy the expectation. */

import { type Comparison, compare, type HealthResult, type RunbookHealthCheck } from '../../core/index.ts';
import { buildApiUrl } from './build-api-url.ts';
import { fetchBounded, type ProbeContext } from './fetch-bounded.ts';
import { listSome } from './list-some.ts';
import { type PromSample, readQueryResponse } from './read-query-response.ts';
import { shortNumber } from './short-number.ts';

export type PrometheusProbe = NonNullable<RunbookHealthCheck['prometheus']>;

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Passes when the query returns at least one sample and every sample satisfies `expect` (no series at all is
 * failing, or what `no_data` says). Failing detail:
 * `up = 0 on {instance="checkout-0:8080", job="checkout"} (expected == 1)`. `value` is the sample's value
 * (the largest when there are several) when it is a number (NaN is none).
 */
export async function probePrometheus(
  id: string,
  probe: PrometheusProbe,
  context: ProbeContext & { readonly baseUrl?: string },
): Promise<HealthResult> {
  const base = probe.url ?? context.baseUrl;
  if (base === undefined) {
    return { id, passed: false, unknown: true, detail: 'PROMETHEUS_URL is not set and the check has no url' };
  }
  const url = buildApiUrl(base, 'api/v1/query', [['query', probe.query]]);
  if (url === undefined)
    return { id, passed: false, unknown: true, detail: `the Prometheus URL ${base} is not an http(s) URL` };
  const response = await fetchBounded({
    ...context,
    url,
    maxBytes: MAX_ANSWER_BYTES,
    accept: 'application/json',
  });
  if (!response.ok) return { id, passed: false, unknown: true, detail: `Prometheus: ${response.detail}` };
  if (response.truncated) {
    return {
      id,
      passed: false,
      unknown: true,
      detail: 'the Prometheus answer is larger than 4 MB; narrow the query',
    };
  }
  const answer = readQueryResponse(response.status, response.body);
  if (!answer.ok) return { id, passed: false, unknown: true, detail: answer.detail };
  return judgeSamples(id, answer.samples, probe.expect, probe.no_data);
}

function judgeSamples(
  id: string,
  samples: readonly PromSample[],
  expect: Comparison | undefined,
  noData: PrometheusProbe['no_data'] = 'failing',
): HealthResult {
  if (samples.length === 0) {
    const detail = 'no data: the query returned no series';
    if (noData === 'passing') return { id, passed: true, detail: `${detail} (passing: no_data)` };
    if (noData === 'unknown') return { id, passed: false, unknown: true, detail };
    return { id, passed: false, detail };
  }
  const value = measure(samples);
  const measured = value === undefined ? {} : { value };
  const failing = expect === undefined ? [] : samples.filter((s) => !compare(s.value, expect));
  if (expect !== undefined && failing.length > 0) {
    const detail = `${listSome(failing.map(describeSample), '; ')} (expected ${expect.text})`;
    return { id, passed: false, detail, ...measured };
  }
  const only = samples.length === 1 ? samples[0] : undefined;
  const seen = only ? describeSample(only) : `${samples.length} series`;
  const verdict = expect === undefined ? '' : only ? ` (ok: ${expect.text})` : `, all ${expect.text}`;
  return { id, passed: true, detail: `${seen}${verdict}`, ...measured };
}

/**
 * The largest value; NaN (0/0) measures nothing. +Inf is kept: a histogram_quantile past its last bucket is as slow
 * as it gets, and a trigger that read it as nothing would go silent when it matters most.
 */
function measure(samples: readonly PromSample[]): number | undefined {
  const numbers = samples.map((s) => s.value).filter((v) => !Number.isNaN(v));
  if (numbers.length === 0) return undefined;
  return numbers.reduce((a, b) => Math.max(a, b));
}

/** `up = 0 on {instance="checkout-0:8080", job="checkout"}`; `0.0731` for an aggregate without labels. */
function describeSample(sample: PromSample): string {
  const { __name__: name, ...rest } = sample.labels;
  const labels = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  const head = name === undefined ? shortNumber(sample.text) : `${name} = ${shortNumber(sample.text)}`;
  return labels.length === 0 ? head : `${head} on {${labels.join(', ')}}`;
}
