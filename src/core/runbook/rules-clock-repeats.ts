/**
 * Step times that a daylight-saving change repeats: on the night the clocks go back (Europe/Berlin, 03:00 →
 * 02:00), 02:30 comes twice. A deployment that day starts such a step at the first 02:30, or at the second if it
 * began after the first (see step-times.ts), so the steps either side of it are further apart than their times say.
 * A warning names the first such date on which the window is open (see clock-change-days.ts).
 */

import { resolveClock, zoneOffset } from '../schedule/zoned-time.ts';
import { clockMetOn, daysToCheck } from './clock-change-days.ts';
import type { PathProblem } from './diagnostic.ts';
import { formatDuration } from './duration.ts';
import type { Runbook } from './schema.ts';

/** Warnings for clock-time steps that come twice on a day the zone's clocks go back. */
export function checkClockRepeats(runbook: Runbook, now = Date.now()): PathProblem[] {
  const clocks = runbook.steps.map((step, i) => ({ at: step.at, i })).filter((s) => s.at?.kind === 'clock');
  if (clocks.length === 0) return [];
  const zone = runbook.timezone;
  const days = daysToCheck(runbook, now, -1);
  const problems: PathProblem[] = [];
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
