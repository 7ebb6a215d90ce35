/**
 * A `worse_than_baseline` trigger's verdict on one value. A percentage of a baseline of 0 (or less) means nothing:
 * 0 → 0.0001 is no degradation. Such a baseline, or none at all, is compared with the trigger's `min_baseline`;
 * without one the trigger is not judged, and says why.
 */
import type { Measurement } from './incident.ts';

export interface Degradation {
  readonly state: 'firing' | 'quiet' | 'unknown';
  readonly detail: string;
  readonly measured?: Measurement;
}

const shown = (n: number) =>
  Number.isFinite(n) ? String(Number(n.toPrecision(4))) : n > 0 ? '+Inf' : Number.isNaN(n) ? 'NaN' : '-Inf';

/** The baseline a trigger compares with: the measured one, raised to `min_baseline`; undefined when it has none. */
export function comparedBaseline(
  measured: number | undefined,
  minBaseline: number | undefined,
): number | undefined {
  const usable = measured !== undefined && measured > 0 ? measured : undefined;
  if (minBaseline === undefined) return usable;
  return Math.max(usable ?? 0, minBaseline);
}

/** Judges `value` of `query` against `baseline` (undefined: none was measured before the deploy). */
export function judgeDegradation(input: {
  readonly query: string;
  readonly value: number;
  readonly baseline: number | undefined;
  readonly worseThan: number;
  readonly minBaseline?: number | undefined;
}): Degradation {
  const { query, value, baseline, worseThan, minBaseline } = input;
  const base = comparedBaseline(baseline, minBaseline);
  const seen = `${query} = ${shown(value)}`;
  if (base === undefined) {
    if (baseline === undefined) return { state: 'unknown', detail: `no pre-deploy baseline for ${query}` };
    return {
      state: 'quiet',
      detail: `${seen} (baseline ${shown(baseline)}: a percentage of it means nothing; not judged without min_baseline)`,
    };
  }
  const limit = base * (1 + worseThan);
  // An infinite value is said in words: a stored measurement holds numbers only. Its baseline is the one measured,
  // not the floor standing in for it: the threshold says what was compared.
  const measured = Number.isFinite(value)
    ? { measured: { what: query, value, threshold: limit, ...(baseline !== undefined && { baseline }) } }
    : {};
  const against =
    base === baseline
      ? `${shown(value / base)}× its baseline ${shown(base)}`
      : `baseline ${baseline === undefined ? 'not measured' : shown(baseline)}, compared with min_baseline ${shown(base)}`;
  return {
    state: value > limit ? 'firing' : 'quiet',
    detail: `${seen}, ${against} (limit ${shown(limit)})`,
    ...measured,
  };
}
