/** The deployment window: is it open now, and when does it open next. */
import type { Runbook } from '../runbook/schema.ts';
import { addZonedDays, atClock, type ZonedDay, zonedDay } from './zoned-time.ts';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const SEARCH_DAYS = 400;

export interface WindowSpan {
  readonly opens: number;
  readonly closes: number;
}

export type WindowState =
  | { readonly open: true; readonly span: WindowSpan }
  | { readonly open: false; readonly next: WindowSpan | undefined };

type WindowSource = Pick<Runbook, 'window' | 'timezone'>;

/** Whether the window opens on `day` (its `days` and `dates` allow it). */
export function opensOn(window: NonNullable<Runbook['window']>, day: ZonedDay): boolean {
  const weekday = WEEKDAYS[day.weekday];
  if (window.days && weekday && !window.days.includes(weekday)) return false;
  if (window.dates && !window.dates.includes(day.iso)) return false;
  return true;
}

/** Whole days from one calendar date to another (YYYY-MM-DD). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The days (from today) that may hold a window: with `dates`, those dates however far ahead; else every day of
 * the next SEARCH_DAYS. Yesterday too, for a window across midnight that is still open.
 */
function offsetsToSearch(window: NonNullable<Runbook['window']>, today: ZonedDay): number[] {
  if (window.dates)
    return [...new Set(window.dates.map((d) => daysBetween(today.iso, d)))]
      .filter((o) => o >= -1)
      .sort((a, b) => a - b);
  return Array.from({ length: SEARCH_DAYS + 2 }, (_, i) => i - 1);
}

/** The window that contains `now` (open) or the next one (closed; `next` is undefined when none is left). */
export function windowState(runbook: WindowSource, now: number): WindowState {
  const window = runbook.window;
  if (!window)
    return { open: true, span: { opens: Number.NEGATIVE_INFINITY, closes: Number.POSITIVE_INFINITY } };
  const zone = runbook.timezone;
  const today = zonedDay(now, zone);
  for (const offset of offsetsToSearch(window, today)) {
    const day = addZonedDays(today, offset);
    if (!opensOn(window, day)) continue;
    // A window that ends before it starts (22:00–02:00) closes the next day; `days` name the day it opens.
    const closeDay = window.end <= window.start ? addZonedDays(day, 1) : day;
    const span = { opens: atClock(day, window.start, zone), closes: atClock(closeDay, window.end, zone) };
    // On the night the clocks go forward a window in the hour they skip (02:00–03:00) never opens.
    if (span.closes <= span.opens) continue;
    if (now >= span.opens && now < span.closes) return { open: true, span };
    if (span.opens > now) return { open: false, next: span };
  }
  return { open: false, next: undefined };
}
