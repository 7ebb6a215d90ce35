/**
 * Instants seen in the runbook's time zone. A clock reading becomes an instant as Temporal's `compatible`
 * disambiguation (and Luxon, java.time, RFC 5545) has it, whatever the time zone of the machine: a reading the
 * clocks skip is read with the offset in force before the jump, so it lands as far after the jump as it was after
 * the jump's start (02:30 on a night the clocks go 02:00 → 03:00 is 03:30 in the new offset); a reading the clocks
 * show twice is its first occurrence.
 */
import { TZDate, tz, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns/format';

/** A calendar day in a zone. */
export interface ZonedDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
  /** YYYY-MM-DD */
  readonly iso: string;
}

/** The calendar day `instant` falls on in `zone`. */
export function zonedDay(instant: number, zone: string): ZonedDay {
  const d = new TZDate(instant, zone);
  return {
    year: d.getFullYear(),
    month: d.getMonth(),
    day: d.getDate(),
    weekday: d.getDay(),
    iso: format(d, 'yyyy-MM-dd'),
  };
}

/** The day `count` days after `day`: calendar arithmetic, the same in every zone. */
export function addZonedDays(day: ZonedDay, count: number): ZonedDay {
  const d = new Date(Date.UTC(day.year, day.month, day.day + count));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    iso: d.toISOString().slice(0, 10),
  };
}

const DAY_MS = 86_400_000;

/** The zone's UTC offset at an instant, in milliseconds. */
const offsetAt = (instant: number, zone: string): number =>
  Math.round(tzOffset(zone, new Date(instant)) * 60_000);

/**
 * The instants at which the zone's clocks show a reading, given as the milliseconds its fields would be in UTC:
 * one on most days, none in a gap the clocks skip, two in an hour they repeat (earlier first). The offsets a day
 * either side bound the ones the reading may be in, as in Temporal.
 */
function instantsOfReading(reading: number, zone: string): { instants: number[]; offsetBefore: number } {
  const offsetBefore = offsetAt(reading - DAY_MS, zone);
  const candidates = [...new Set([offsetBefore, offsetAt(reading + DAY_MS, zone)])].map((o) => reading - o);
  const instants = candidates.filter((t) => offsetAt(t, zone) === reading - t).sort((a, b) => a - b);
  return { instants, offsetBefore };
}

/** How a clock time falls on a day: the instant it means, and the second one of a reading shown twice. */
export interface ClockInstant {
  readonly instant: number;
  /** The clocks skip this reading that day; `instant` is as far after the jump as the reading is after its start. */
  readonly skipped: boolean;
  /** The reading's second occurrence, on a day the clocks go back over it. */
  readonly again?: number;
}

/** The instant of a clock time (seconds after midnight) on a zoned day, and whether that day skips or repeats it. */
export function resolveClock(day: ZonedDay, seconds: number, zone: string): ClockInstant {
  const reading = Date.UTC(day.year, day.month, day.day) + seconds * 1000;
  const { instants, offsetBefore } = instantsOfReading(reading, zone);
  const [first, second] = instants;
  if (first === undefined) return { instant: reading - offsetBefore, skipped: true };
  return { instant: first, skipped: false, ...(second !== undefined && { again: second }) };
}

/** The instant of a clock time (seconds after midnight) on a zoned day (see the top of this file for DST days). */
export function atClock(day: ZonedDay, seconds: number, zone: string): number {
  return resolveClock(day, seconds, zone).instant;
}

/** The clock reading of an instant in the zone, in seconds after midnight. */
export function clockOf(instant: number, zone: string): number {
  const d = new TZDate(instant, zone);
  return d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds();
}

/** `2026-01-07 14:00 +08:00` */
export function formatZoned(instant: number, zone: string, pattern = 'yyyy-MM-dd HH:mm xxx'): string {
  return format(new Date(instant), pattern, { in: tz(zone) });
}

/** ISO 8601 with the zone's offset: `2026-01-07T14:00:00+08:00`. */
export function isoZoned(instant: number, zone: string): string {
  return format(new Date(instant), "yyyy-MM-dd'T'HH:mm:ssxxx", { in: tz(zone) });
}

/** `+08:00` for the zone at that instant. */
export function zoneOffset(instant: number, zone: string): string {
  return format(new Date(instant), 'xxx', { in: tz(zone) });
}
