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

function dayAllowed(window: NonNullable<Runbook['window']>, day: ZonedDay): boolean {
  const weekday = WEEKDAYS[day.weekday];
  if (window.days && weekday && !window.days.includes(weekday)) return false;
  if (window.dates && !window.dates.includes(day.iso)) return false;
  return true;
}

/** The window that contains `now` (open) or the next one (closed; `next` is undefined when none is left). */
export function windowState(runbook: WindowSource, now: number): WindowState {
  const window = runbook.window;
  if (!window)
    return { open: true, span: { opens: Number.NEGATIVE_INFINITY, closes: Number.POSITIVE_INFINITY } };
  const zone = runbook.timezone;
  const today = zonedDay(now, zone);
  for (let offset = -1; offset <= SEARCH_DAYS; offset++) {
    const day = addZonedDays(today, offset, zone);
    if (!dayAllowed(window, day)) continue;
    // A window that ends before it starts (22:00–02:00) closes the next day; `days` name the day it opens.
    const closeDay = window.end <= window.start ? addZonedDays(day, 1, zone) : day;
    const span = { opens: atClock(day, window.start, zone), closes: atClock(closeDay, window.end, zone) };
    if (now >= span.opens && now < span.closes) return { open: true, span };
    if (span.opens > now) return { open: false, next: span };
  }
  return { open: false, next: undefined };
}
