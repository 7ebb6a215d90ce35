/**
 * Step times that a daylight-saving change skips: on the night the clocks go forward (Europe/Berlin, 02:00 →
 * 03:00), 02:30 does not exist, and a deployment that day starts such a step as far after the jump as it was
 * after the jump's start (03:30), possibly after the step that follows it. A warning names the first such date
 * within this year and the next.
 */
import { tzScan } from '@date-fns/tz';
import { clockOf, resolveClock, type ZonedDay, zonedDay } from '../schedule/zoned-time.ts';
import type { PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';
import { formatClock } from './time-of-day.ts';

/** The days, in `zone`, on which the clocks go forward: only on those can a clock time be skipped. */
function daysClocksGoForward(zone: string, fromYear: number): ZonedDay[] {
  const changes = tzScan(zone, {
    start: new Date(Date.UTC(fromYear, 0, 1)),
    end: new Date(Date.UTC(fromYear + 2, 0, 1)),
  });
  // Both sides of a change are tried: the skipped readings may end the day before the one the change lands on.
  const days = changes
    .filter((c) => c.change > 0)
    .flatMap((c) => [zonedDay(c.date.getTime() - 1, zone), zonedDay(c.date.getTime(), zone)]);
  return days.filter((d, i) => days.findIndex((o) => o.iso === d.iso) === i);
}

/** Warnings for clock-time steps that do not exist on a day the zone's clocks go forward. */
export function checkClockGaps(runbook: Runbook, now = Date.now()): PathProblem[] {
  const clocks = runbook.steps.map((step, i) => ({ at: step.at, i })).filter((s) => s.at?.kind === 'clock');
  if (clocks.length === 0) return [];
  const zone = runbook.timezone;
  const days = daysClocksGoForward(zone, new Date(now).getUTCFullYear());
  const problems: PathProblem[] = [];
  for (const { at, i } of clocks) {
    if (at?.kind !== 'clock') continue;
    for (const day of days) {
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
