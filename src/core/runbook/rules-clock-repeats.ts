/**
 * Step times that a daylight-saving change repeats: on the night the clocks go back (Europe/Berlin, 03:00 →
 * 02:00), 02:30 comes twice. A deployment that day starts such a step at the first 02:30, or at the second if it
 * began after the first (see step-times.ts), so the steps either side of it are further apart than their times say.
 * A window that closes at such a time (22:00–02:30) closes at the first, and is shut while the clocks show the
 * hour again. A warning names the first such date on which the window is open (see clock-change-days.ts).
 */

import { resolveClock, type ZonedDay, zoneOffset } from '../schedule/zoned-time.ts';
import { clockMetOn, daysToCheck, findOpeningDay } from './clock-change-days.ts';
import type { PathProblem } from './diagnostic.ts';
import { formatDuration } from './duration.ts';
import type { Runbook } from './schema.ts';
import { formatClock } from './time-of-day.ts';

/**
 * A warning for a window that closes at a reading shown twice on one of `days`: it closes at the first. A window
 * that ends where the repeated hour begins (02:00) is shut through all of it either way, as written.
 */
function checkWindowEndRepeat(runbook: Runbook, days: readonly ZonedDay[]): PathProblem[] {
  const window = runbook.window;
  if (!window) return [];
  const zone = runbook.timezone;
  for (const day of days) {
    if (!findOpeningDay(window, day)) continue;
    const { instant, again } = resolveClock(day, window.end, zone);
    if (again === undefined || resolveClock(day, window.end - 1, zone).again === undefined) continue;
    const end = formatClock(window.end);
    const back = formatDuration(again - instant);
    const message = `the window ${formatClock(window.start)}–${end} closes at ${end}, which comes twice on ${day.iso} in ${zone} (the clocks go back ${back}); that day it closes at the first ${end} (${zoneOffset(instant, zone)}), not at the second (${zoneOffset(again, zone)}) ${back} later`;
    return [{ path: ['window', 'end'], severity: 'warning', message }];
  }
  return [];
}

/** Warnings for clock-time steps and a window end that come twice on a day the zone's clocks go back. */
export function checkClockRepeats(runbook: Runbook, now = Date.now()): PathProblem[] {
  const clocks = runbook.steps.map((step, i) => ({ at: step.at, i })).filter((s) => s.at?.kind === 'clock');
  if (clocks.length === 0 && !runbook.window) return [];
  const zone = runbook.timezone;
  const days = daysToCheck(runbook, now, -1);
  const problems: PathProblem[] = checkWindowEndRepeat(runbook, days);
  for (const { at, i } of clocks) {
    if (at?.kind !== 'clock') continue;
    for (const day of days) {
      if (!clockMetOn(runbook.window, at.seconds, day)) continue;
      const { instant, again } = resolveClock(day, at.seconds, zone);
      if (again === undefined) continue;
      const back = formatDuration(again - instant);
      problems.push({
        path: ['steps', i, 'at'],
        severity: 'warning',
        message: `step time ${at.text} comes twice on ${day.iso} in ${zone} (the clocks go back ${back}); a deployment that day starts it at the first ${at.text} (${zoneOffset(instant, zone)}), or at the second (${zoneOffset(again, zone)}) if it began after the first, so the steps either side of it may be ${back} further apart than their times say`,
      });
      break;
    }
  }
  return problems;
}
