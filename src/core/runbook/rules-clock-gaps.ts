/**
 * Step times and windows that a daylight-saving change skips: on the night the clocks go forward (Europe/Berlin,
 * 02:00 → 03:00), 02:30 does not exist, and a deployment that day starts such a step as far after the jump as it
 * was after the jump's start (03:30), possibly after the step that follows it; a window that opens in the gap is
 * moved the same way, or never opens if it closes before that, and one that closes in it (22:00–02:30) closes as
 * late after the jump (03:30). A warning names the first such date on which the window is open (see
 * clock-change-days.ts).
 */
import { opensOn } from '../schedule/window.ts';
import { addZonedDays, clockOf, resolveClock, type ZonedDay } from '../schedule/zoned-time.ts';
import { clockMetOn, daysToCheck, findOpeningDay } from './clock-change-days.ts';
import type { PathProblem } from './diagnostic.ts';
import { formatDuration } from './duration.ts';
import type { Runbook } from './schema.ts';
import { formatClock } from './time-of-day.ts';

/** A warning for a window that opens at a reading skipped on one of `days`: when it is open that day instead. */
function checkWindowGap(runbook: Runbook, days: readonly ZonedDay[]): PathProblem[] {
  const window = runbook.window;
  if (!window) return [];
  const zone = runbook.timezone;
  for (const day of days) {
    if (!opensOn(window, day)) continue;
    const opens = resolveClock(day, window.start, zone);
    if (!opens.skipped) continue;
    const closeDay = window.end <= window.start ? addZonedDays(day, 1) : day;
    const closes = resolveClock(closeDay, window.end, zone);
    const hours = `${formatClock(window.start)}–${formatClock(window.end)}`;
    const where = `${day.iso} in ${zone} (the clocks go forward)`;
    const moved = `${formatClock(clockOf(opens.instant, zone))}–${formatClock(clockOf(closes.instant, zone))}`;
    const message =
      closes.instant <= opens.instant
        ? `the window ${hours} opens at ${formatClock(window.start)}, which does not exist on ${where}; that day it never opens`
        : closes.skipped && closeDay === day
          ? `the window ${hours} lies wholly in the time the clocks skip on ${where}; that day it is open ${moved} instead`
          : `the window ${hours} opens at ${formatClock(window.start)}, which does not exist on ${where}; that day it is open ${moved} instead`;
    return [{ path: ['window', 'start'], severity: 'warning', message }];
  }
  return [];
}

/**
 * A warning for a window that closes at a reading skipped on one of `days`, one that opened before the jump: when
 * it closes that day instead. A window that ends where the gap begins (02:00) closes as the clocks jump, as written.
 */
function checkWindowEndGap(runbook: Runbook, days: readonly ZonedDay[]): PathProblem[] {
  const window = runbook.window;
  if (!window) return [];
  const zone = runbook.timezone;
  for (const day of days) {
    const opened = findOpeningDay(window, day);
    if (!opened) continue;
    const closes = resolveClock(day, window.end, zone);
    if (!closes.skipped || !resolveClock(day, window.end - 1, zone).skipped) continue;
    // A window that opens in the gap too has the start's warning, which says when it is open that day.
    const opens = resolveClock(opened, window.start, zone);
    if (opens.skipped) continue;
    const hours = `${formatClock(window.start)}–${formatClock(window.end)}`;
    const closesAt = formatClock(clockOf(closes.instant, zone));
    const message = `the window ${hours} closes at ${formatClock(window.end)}, which does not exist on ${day.iso} in ${zone} (the clocks go forward); that day it closes at ${closesAt} instead, ${formatDuration(closes.instant - opens.instant)} after it opens`;
    return [{ path: ['window', 'end'], severity: 'warning', message }];
  }
  return [];
}

/** Warnings for clock-time steps and a window start or end that do not exist on a day the zone's clocks go forward. */
export function checkClockGaps(runbook: Runbook, now = Date.now()): PathProblem[] {
  const clocks = runbook.steps.map((step, i) => ({ at: step.at, i })).filter((s) => s.at?.kind === 'clock');
  if (clocks.length === 0 && !runbook.window) return [];
  const zone = runbook.timezone;
  const days = daysToCheck(runbook, now, 1);
  const problems: PathProblem[] = [...checkWindowGap(runbook, days), ...checkWindowEndGap(runbook, days)];
  for (const { at, i } of clocks) {
    if (at?.kind !== 'clock') continue;
    for (const day of days) {
      if (!clockMetOn(runbook.window, at.seconds, day)) continue;
      const time = resolveClock(day, at.seconds, zone);
      if (!time.skipped) continue;
      problems.push({
        path: ['steps', i, 'at'],
        severity: 'warning',
        message: `step time ${at.text} does not exist on ${day.iso} in ${zone} (the clocks go forward); a deployment that day starts it at ${formatClock(clockOf(time.instant, zone))}, which may be after the next step`,
      });
      break;
    }
  }
  return problems;
}
