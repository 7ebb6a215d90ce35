/** Instants seen in the runbook's time zone. */
import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';

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

/** The day `count` days after `day`. */
export function addZonedDays(day: ZonedDay, count: number, zone: string): ZonedDay {
  const noon = new TZDate(day.year, day.month, day.day + count, 12, 0, 0, zone);
  return zonedDay(noon.getTime(), zone);
}

/** The instant of a clock time (seconds after midnight) on a zoned day. */
export function atClock(day: ZonedDay, seconds: number, zone: string): number {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return new TZDate(day.year, day.month, day.day, h, m, s, zone).getTime();
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
