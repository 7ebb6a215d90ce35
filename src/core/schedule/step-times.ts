/** When each step may start: clock times on the deployment's day, or offsets from the run's start. */
import type { StepTime } from '../runbook/time-of-day.ts';
import { addZonedDays, atClock, clockOf, resolveClock, zonedDay } from './zoned-time.ts';

/** A window's clock times, in seconds of the day; `end` before `start` means it runs past midnight. */
export interface WindowClock {
  readonly start: number;
  readonly end: number;
}

/**
 * The earliest instant a step with this `at` may start, for a run that started at `runStart`. In a window that
 * runs past midnight (22:00–02:00) a clock time belongs to the night the run is in: 00:30 after a 23:10 start is
 * the next day's, 23:00 after a 00:10 start the day before's.
 */
export function notBefore(
  at: StepTime | undefined,
  runStart: number,
  zone: string,
  window?: WindowClock,
): number {
  if (!at) return runStart;
  if (at.kind === 'offset') return runStart + at.ms;
  const day = zonedDay(runStart, zone);
  let shift = 0;
  if (window && window.end < window.start) {
    const now = clockOf(runStart, zone);
    if (now >= window.start && at.seconds < window.end) shift = 1;
    if (now < window.end && at.seconds >= window.start) shift = -1;
  }
  const time = resolveClock(shift === 0 ? day : addZonedDays(day, shift), at.seconds, zone);
  // On the night the clocks go back an hour is lived twice: a time in it means its first pass, but a run that
  // began in the second pass (its own reading's first occurrence is over; readings are whole seconds) means the second.
  const runInSecondPass = atClock(day, clockOf(runStart, zone), zone) < Math.floor(runStart / 1000) * 1000;
  if (time.again !== undefined && time.instant < runStart && runInSecondPass) return time.again;
  return time.instant;
}

/**
 * Planned start of every step, in order: not before its own time and not before the step before it.
 * Steps without a time follow the one before them.
 */
export function planStepStarts(
  steps: readonly { at?: StepTime | undefined }[],
  runStart: number,
  zone: string,
  window?: WindowClock,
): number[] {
  let previous = runStart;
  return steps.map((step) => {
    const start = Math.max(previous, notBefore(step.at, runStart, zone, window));
    previous = start;
    return start;
  });
}
