/** Rules for the scalar values the schema refuses, and the near-miss suggestions shown with them. */
import { parseDuration } from './duration.ts';
import { formatClock } from './time-of-day.ts';

/** What a duration looks like; the schema's message for any value that is not one. */
export const DURATION_RULE =
  'a duration is a whole number and a unit with no space between, like 30s, 15m, 1h30m or 2d';
/** What a time of day looks like. */
export const CLOCK_RULE = 'a time of day is written HH:MM or HH:MM:SS, from 00:00 to 24:00, e.g. 14:00';
/** What a step `at` looks like. */
export const STEP_TIME_RULE =
  'a step time is a time of day like 14:10, or an offset from the start like +30s';

const UNITS: readonly (readonly [RegExp, string])[] = [
  [/^(ms|msecs?|millis|milliseconds?)$/, 'ms'],
  [/^(s|secs?|seconds?)$/, 's'],
  [/^(m|mins?|minutes?)$/, 'm'],
  [/^(h|hrs?|hours?)$/, 'h'],
  [/^(d|days?)$/, 'd'],
];

/** Rewrites `15 minutes` or `1 hour, 30 mins` as `15m` or `1h30m`; `undefined` when it is not that. */
export function suggestDuration(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const words = input
    .toLowerCase()
    .replace(/\band\b|,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!/^(\d+ ?[a-z]+ ?)+$/.test(words)) return undefined;
  const parts = words.matchAll(/(\d+) ?([a-z]+)/g);
  let out = '';
  for (const [, count, word] of parts) {
    const unit = UNITS.find(([re]) => re.test(word ?? ''))?.[1];
    if (unit === undefined) return undefined;
    out += `${count}${unit}`;
  }
  return parseDuration(out) === undefined || out === input.trim() ? undefined : out;
}

/** Rewrites `1400`, `14.00`, `2pm` or `2:30 pm` as a clock time; `undefined` when it is not that. */
export function suggestClock(input: unknown): string | undefined {
  const text = String(input).trim().toLowerCase();
  const compact = /^(\d{1,2})[.h]?(\d{2})$/.exec(text);
  const meridiem = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/.exec(text);
  let hours: number;
  let minutes: number;
  if (compact) [hours, minutes] = [Number(compact[1]), Number(compact[2])];
  else if (meridiem) {
    const h = Number(meridiem[1]);
    if (h < 1 || h > 12) return undefined;
    hours = (h % 12) + (meridiem[3] === 'p' ? 12 : 0);
    minutes = Number(meridiem[2] ?? 0);
  } else return undefined;
  return hours > 23 || minutes > 59 ? undefined : formatClock(hours * 3600 + minutes * 60);
}

function suggestStepTime(input: unknown): string | undefined {
  const text = String(input).trim();
  if (text.startsWith('+')) {
    const rest = suggestDuration(text.slice(1));
    return rest === undefined ? undefined : `+${rest}`;
  }
  if (parseDuration(text) !== undefined) return `+${text}`;
  return suggestClock(input);
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}

/** A hint for a value refused with `rule` (one of the rules above), or the empty string. */
export function hintFor(rule: string, input: unknown): string {
  switch (rule) {
    case DURATION_RULE:
      if (typeof input === 'number' && Number.isInteger(input) && input >= 0)
        return `; for seconds write ${input}s, for minutes ${input}m`;
      return didYouMean(suggestDuration(input));
    case CLOCK_RULE:
      return didYouMean(suggestClock(input));
    case STEP_TIME_RULE:
      return didYouMean(suggestStepTime(input));
    default:
      return '';
  }
}
