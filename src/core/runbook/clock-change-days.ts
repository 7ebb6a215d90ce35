/**
 * The days on which a daylight-saving change can skip or repeat a runbook's clock times, as far as a deployment
 * can meet them: only days the deployment window is open (its `days` and `dates`), and the day after for a window
 * that runs past midnight.
 */
import { tzScan } from '@date-fns/tz';
import { opensOn } from '../schedule/window.ts';
import { addZonedDays, type ZonedDay, zonedDay } from '../schedule/zoned-time.ts';
import type { Runbook } from './schema.ts';

type Window = NonNullable<Runbook['window']>;

/**
 * The days, in `zone`, on which its clocks go forward (`direction` 1) or back (-1) within `fromYear` and the next:
 * only on those can a clock time be skipped or repeated.
 */
export function daysClocksChange(zone: string, fromYear: number, direction: 1 | -1): ZonedDay[] {
  const changes = tzScan(zone, {
    start: new Date(Date.UTC(fromYear, 0, 1)),
    end: new Date(Date.UTC(fromYear + 2, 0, 1)),
  });
  // Both sides of a change are tried: the readings it skips or repeats may fall on the day before it lands.
  const days = changes
    .filter((c) => Math.sign(c.change) === direction)
    .flatMap((c) => [zonedDay(c.date.getTime() - 1, zone), zonedDay(c.date.getTime(), zone)]);
  return days.filter((d, i) => days.findIndex((o) => o.iso === d.iso) === i);
}

/** The calendar day of `iso` (YYYY-MM-DD). */
function dayOf(iso: string): ZonedDay {
  const [year = 0, month = 1, day = 1] = iso.split('-').map(Number);
  return addZonedDays({ year, month: month - 1, day, weekday: 0, iso }, 0);
}

/**
 * The days, in order, to look at for readings the clocks skip (1) or repeat (-1), from the start of `now`'s year:
 * with window `dates`, those dates and the day after each (any may hold a change, however far ahead); else the
 * days the clocks change within this year and the next.
 */
export function daysToCheck(runbook: Runbook, now: number, direction: 1 | -1): ZonedDay[] {
  const fromYear = new Date(now).getUTCFullYear();
  const dates = runbook.window?.dates;
  if (!dates) return daysClocksChange(runbook.timezone, fromYear, direction);
  const days = dates
    .flatMap((iso) => [dayOf(iso), addZonedDays(dayOf(iso), 1)])
    .filter((d) => d.year >= fromYear);
  return days
    .filter((d, i) => days.findIndex((o) => o.iso === d.iso) === i)
    .sort((a, b) => a.iso.localeCompare(b.iso));
}

/**
 * Whether a deployment can meet clock time `seconds` on `day`: with no window, any day; else a day the window opens
 * on, or for a window past midnight (22:00–02:00) the day after one for a time before it closes (00:30). A time
 * outside such a window may fall on either.
 */
export function clockMetOn(window: Window | undefined, seconds: number, day: ZonedDay): boolean {
  if (!window) return true;
  if (window.end > window.start) return opensOn(window, day);
  const today = opensOn(window, day);
  const dayBefore = opensOn(window, addZonedDays(day, -1));
  if (seconds >= window.start) return today;
  if (seconds < window.end) return dayBefore;
  return today || dayBefore;
}

/**
 * The day a window that closes on `day` opened, if it opens on that day: the day before for a window past
 * midnight (22:00–02:30 closes on Sunday when it opens on Saturday), else `day` itself.
 */
export function findOpeningDay(window: Window, day: ZonedDay): ZonedDay | undefined {
  const opened = window.end <= window.start ? addZonedDays(day, -1) : day;
  return opensOn(window, opened) ? opened : undefined;
}
