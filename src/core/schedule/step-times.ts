/** When each step may start: clock times on the deployment's day, or offsets from the run's start. */
import type { StepTime } from '../runbook/time-of-day.ts';
import { atClock, zonedDay } from './zoned-time.ts';

/** The earliest instant a step with this `at` may start, for a run that started at `runStart`. */
export function notBefore(at: StepTime | undefined, runStart: number, zone: string): number {
  if (!at) return runStart;
  if (at.kind === 'offset') return runStart + at.ms;
  return atClock(zonedDay(runStart, zone), at.seconds, zone);
}

/**
 * Planned start of every step, in order: not before its own time and not before the step before it.
 * Steps without a time follow the one before them.
 */
export function planStepStarts(
  steps: readonly { at?: StepTime | undefined }[],
  runStart: number,
  zone: string,
): number[] {
  let previous = runStart;
  return steps.map((step) => {
    const start = Math.max(previous, notBefore(step.at, runStart, zone));
    previous = start;
    return start;
  });
}
