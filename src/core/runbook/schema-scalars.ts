/** Scalar building blocks of the runbook schema: ids, references, durations, times, comparisons. */
import * as z from 'zod';
import { parseComparison } from './comparison.ts';
import { parseDuration, parsePercent } from './duration.ts';
import { CLOCK_RULE, DURATION_RULE, STEP_TIME_RULE } from './scalar-hints.ts';
import { parseClock, parseStepTime } from './time-of-day.ts';

export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An identifier: a letter, then letters, digits, `_`, `.` or `-`. */
export const Id = z
  .string()
  .regex(ID_PATTERN, 'ids start with a letter and use only letters, digits, "_", "." and "-" (at most 63)');

/** A reference to people: person ids and group ids. */
export const Refs = z
  .array(Id)
  .min(1, 'name at least one person or group')
  .meta({ description: 'Person ids or group ids from `people` and `groups`.' });

/** Text whose wrong-type message states `rule` (a missing value keeps zod's own issue). */
const textWithRule = (rule: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? undefined : rule) });

/** The longest duration a runbook may give anything: a year (a date beyond that is no plan). */
export const DURATION_MAX_MS = 365 * 86_400_000;
/** The longest a command may run: the longest timer Node can set (2^31 - 1 ms, just under 25 days). */
export const COMMAND_TIMEOUT_MAX_MS = 24 * 86_400_000;

/** The patterns below are the parsers' own rules (duration.ts, time-of-day.ts), so the JSON Schema checks them too. */
const DURATION_PATTERN = String.raw`(?=\d)(?:\d+d)?(?:\d+h)?(?:\d+m(?!s))?(?:\d+s)?(?:\d+ms)?`;
const CLOCK_PATTERN = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|24:00(?::00)?`;
const whole = (pattern: string) => new RegExp(String.raw`^\s*(?:${pattern})\s*$`);

export const Duration = textWithRule(DURATION_RULE)
  .regex(whole(DURATION_PATTERN), DURATION_RULE)
  .refine((text) => (parseDuration(text) ?? 0) <= DURATION_MAX_MS, 'a duration may be at most 365d')
  .transform((text) => parseDuration(text) ?? 0)
  .meta({ description: 'A duration such as 30s, 15m, 1h30m, 2d.', examples: ['15m', '1h30m'] });

/**
 * A wait, an interval or a time limit: 0s would mean at once and again at once (a page storm, a reminder storm) or,
 * for a timeout, no limit at all.
 */
export const PositiveDuration = Duration.refine(
  (ms) => ms > 0,
  'must be longer than 0s (0s would repeat at once, or for a timeout mean no limit); give a duration like 30s or 15m',
);

export const Clock = textWithRule(CLOCK_RULE)
  .regex(whole(CLOCK_PATTERN), CLOCK_RULE)
  .transform((text) => parseClock(text) ?? 0)
  .meta({
    description:
      'A time of day in the runbook time zone, HH:MM or HH:MM:SS. A time the clocks skip when they go forward lands as far after the jump (02:30 on a 02:00 → 03:00 night is 03:30); a time shown twice when they go back is its first occurrence.',
    examples: ['14:00'],
  });

export const StepTimeSchema = textWithRule(STEP_TIME_RULE)
  .regex(whole(String.raw`\+\s*${DURATION_PATTERN}|${CLOCK_PATTERN}`), STEP_TIME_RULE)
  .refine((text) => {
    const time = parseStepTime(text);
    return time?.kind !== 'offset' || time.ms <= DURATION_MAX_MS;
  }, 'a step may start at most +365d after the run starts')
  .transform((text) => parseStepTime(text) ?? { kind: 'offset' as const, ms: 0, text })
  .meta({
    description:
      'When the step may start: HH:MM in the runbook time zone, or +duration after the run starts. A time the clocks skip when they go forward lands as far after the jump (02:30 on a 02:00 → 03:00 night is 03:30); a time shown twice when they go back is its first occurrence.',
    examples: ['14:10', '+30s'],
  });

export const ComparisonSchema = z
  .string()
  .refine(
    (text) => parseComparison(text) !== undefined,
    'a comparison is an operator and a number, e.g. "== 1" or "< 0.05"',
  )
  .transform((text) => parseComparison(text) ?? { op: '==' as const, value: 0, text })
  .meta({ description: 'An operator (==, !=, <, <=, >, >=) and a number.', examples: ['== 1', '< 0.05'] });

export const Percent = z
  .string()
  .refine((text) => parsePercent(text) !== undefined, 'a percentage is written like 50%')
  .transform((text) => parsePercent(text) ?? 0)
  .meta({ description: 'A percentage such as 50%.', examples: ['50%'] });

export const EnvName = z
  .string()
  .regex(
    ENV_NAME_PATTERN,
    'environment variable names use letters, digits and "_" and do not start with a digit',
  );

/** Plain, non-secret environment values for scripts. */
export const EnvValues = z.record(EnvName, z.union([z.string(), z.number(), z.boolean()]).transform(String));
