/** Reads a Prometheus instant-query answer (`/api/v1/query`) into numeric samples, or says what is wrong. */
import * as z from 'zod';
import { excerptOf, firstIssueOf } from './response-text.ts';

/** One sample: its series labels (with `__name__`), the value as Prometheus wrote it, and as a number. */
export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly text: string;
  readonly value: number;
}

export type QueryAnswer =
  | { readonly ok: true; readonly samples: readonly PromSample[] }
  | { readonly ok: false; readonly detail: string };

const Pair = z.tuple([z.number(), z.string()]);

const Envelope = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({ resultType: z.enum(['vector', 'scalar', 'matrix', 'string']), result: z.unknown() }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

// A native-histogram series carries `histogram` instead of `value`.
const Vector = z.array(
  z.object({
    metric: z.record(z.string(), z.string()),
    value: Pair.optional(),
    histogram: z.unknown().optional(),
  }),
);

/** Validates the envelope; `status` is the HTTP status (errors come as 400, 422 or 503 with an error envelope). */
export function readQueryResponse(status: number, body: string): QueryAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail(`Prometheus answered HTTP ${status} without a query result${excerptOf(body)}`);
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success)
    return fail(`unexpected answer from Prometheus (HTTP ${status}): ${firstIssueOf(envelope.error)}`);
  const answer = envelope.data;
  if (answer.status === 'error') return fail(`Prometheus error ${answer.errorType}: ${answer.error}`);
  const { resultType, result } = answer.data;
  if (resultType === 'matrix' || resultType === 'string') {
    return fail(`expected an instant vector or scalar, got ${resultType}`);
  }
  const pairs = readPairs(resultType, result);
  if (!pairs.ok) return pairs;
  const samples: PromSample[] = [];
  for (const [labels, text] of pairs.pairs) {
    const value = parseSampleValue(text);
    if (value === undefined)
      return fail(`Prometheus sent a sample that is not a number: ${JSON.stringify(text)}`);
    samples.push({ labels, text, value });
  }
  return { ok: true, samples };
}

type Pairs =
  | { readonly ok: true; readonly pairs: ReadonlyArray<readonly [Record<string, string>, string]> }
  | { readonly ok: false; readonly detail: string };

function readPairs(resultType: 'vector' | 'scalar', result: unknown): Pairs {
  if (resultType === 'scalar') {
    const scalar = Pair.safeParse(result);
    if (!scalar.success) return fail(`unexpected scalar from Prometheus: ${firstIssueOf(scalar.error)}`);
    return { ok: true, pairs: [[{}, scalar.data[1]]] };
  }
  const vector = Vector.safeParse(result);
  if (!vector.success) return fail(`unexpected vector from Prometheus: ${firstIssueOf(vector.error)}`);
  const pairs: Array<readonly [Record<string, string>, string]> = [];
  for (const series of vector.data) {
    if (series.value === undefined)
      return fail('expected numbers, got a native histogram; query a number from it');
    pairs.push([series.metric, series.value[1]]);
  }
  return { ok: true, pairs };
}

/** Prometheus writes special floats as Go does: `NaN`, `+Inf`, `-Inf`. */
export function parseSampleValue(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? undefined : value;
}

function fail(detail: string): { readonly ok: false; readonly detail: string } {
  return { ok: false, detail };
}
