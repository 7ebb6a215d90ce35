/**
 * A lock's reason that opens with when it should end (`until 18:00`, `till tomorrow`): the person meant an end
 * time, which a lock does not take (it takes how long, `--for=`). Read as a reason, the lock would hold for the
 * default time with "until 18:00" as its reason, so it is refused with the `--for=` that ends it then.
 */
import { addZonedDays, atClock, formatDuration, parseClock, zonedDay } from '../core/index.ts';
import { foldKeyword } from './parse-words.ts';

export interface EndTimeTyped {
  /** What was typed for it: `until 18:00`. */
  readonly typed: string;
  /** The clock time it names (seconds after midnight), when it is one. */
  readonly clock?: number;
  /** The reason's words after it. */
  readonly rest: readonly string[];
}

const UNTIL = new Set(['until', 'till', 'til']);
/** Words that name when, not why: `until 6pm`, `until tomorrow`, `until monday`. */
const WHEN =
  /^(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|noon|midnight|tonight|tomorrow|eod|eow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)$/i;

/** The end time a lock's reason opens with, or undefined when it opens with a reason. */
export function endTimeFirst(words: readonly string[]): EndTimeTyped | undefined {
  const [first = '', second = '', ...rest] = words;
  if (!UNTIL.has(foldKeyword(first))) return undefined;
  const clock = parseClock(second);
  if (clock === undefined && !WHEN.test(second)) return undefined;
  return { typed: `${first} ${second}`, ...(clock !== undefined && { clock }), rest };
}

/** How long from `now` until the next `clock` in `zone`, rounded up to the minute (`3h13m`). */
export function durationUntil(clock: number, now: number, zone: string): string {
  const today = zonedDay(now, zone);
  const at = atClock(today, clock, zone);
  const end = at > now ? at : atClock(addZonedDays(today, 1), clock, zone);
  return formatDuration(Math.ceil((end - now) / 60_000) * 60_000);
}
