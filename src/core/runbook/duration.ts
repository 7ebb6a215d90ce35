/** Durations as runbooks write them: `30s`, `15m`, `1h30m`, `7d`, `500ms`. */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

const DURATION_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a duration like `1h30m` into milliseconds; `undefined` when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_RE.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  let total = 0;
  ORDER.forEach((unit, index) => {
    const part = match[index + 1];
    if (part !== undefined) total += Number(part) * UNIT_MS[unit];
  });
  return total;
}

/** Formats milliseconds back into the shortest runbook form, e.g. `5400000` → `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/**
 * A measured time for people (took, waited, late, answered after): a tenth of a second under 10 seconds (`1.2s`),
 * else whole seconds in the runbook's form (`45s`, `1m30s`, `2h5m`). Every time shown in chat is in this form.
 */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  return formatDuration(Math.round(ms / 1000) * 1000);
}

/** Parses `50%` into the fraction 0.5; `undefined` when the text is not a percentage. */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim());
  return match ? Number(match[1]) / 100 : undefined;
}
