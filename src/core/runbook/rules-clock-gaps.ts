/**
 * Step times that a daylight-saving change skips: on the night the clocks go forward (Europe/Berlin, 02:00 →
 * 03:00), 02:30 does not exist, and a deployment that day starts such a step an hour late, possibly after the step
 * that follows it. A warning names the first such date within this year and the next.
 */
import { TZDate } from '@date-fns/tz';
import type { PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';
import { formatClock } from './time-of-day.ts';

const DAY_MS = 86_400_000;

const iso = (d: TZDate): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The days, in `zone`, on which the offset changes: only on those can a clock time be skipped. */
function changeDays(zone: string, fromYear: number): TZDate[] {
  const days: TZDate[] = [];
  let day = new TZDate(fromYear, 0, 1, 12, 0, 0, zone);
  const end = new TZDate(fromYear + 2, 0, 1, 12, 0, 0, zone).getTime();
  while (day.getTime() < end) {
    const next = new TZDate(day.getTime() + DAY_MS, zone);
    const sameDay = new TZDate(next.getFullYear(), next.getMonth(), next.getDate(), 12, 0, 0, zone);
    if (sameDay.getTimezoneOffset() !== day.getTimezoneOffset()) days.push(sameDay);
    day = sameDay;
  }
  return days;
}

/** Warnings for clock-time steps that do not exist on a day the zone's clocks go forward. */
export function checkClockGaps(runbook: Runbook, now = Date.now()): PathProblem[] {
  const clocks = runbook.steps.map((step, i) => ({ at: step.at, i })).filter((s) => s.at?.kind === 'clock');
  if (clocks.length === 0) return [];
  const days = changeDays(runbook.timezone, new Date(now).getUTCFullYear());
  const problems: PathProblem[] = [];
  for (const { at, i } of clocks) {
    if (at?.kind !== 'clock') continue;
    const h = Math.floor(at.seconds / 3600);
    const m = Math.floor((at.seconds % 3600) / 60);
    for (const day of days) {
      // Both sides of a change are tried: the change itself may be just after midnight.
      for (const candidate of [new TZDate(day.getTime() - DAY_MS, runbook.timezone), day]) {
        const local = new TZDate(
          candidate.getFullYear(),
          candidate.getMonth(),
          candidate.getDate(),
          h,
          m,
          0,
          runbook.timezone,
        );
        if (local.getHours() === h && local.getMinutes() === m) continue;
        problems.push({
          path: ['steps', i, 'at'],
          severity: 'warning',
          message: `step time ${at.text} does not exist on ${iso(candidate)} in ${runbook.timezone} (the clocks go forward); a deployment that day starts it at ${formatClock(local.getHours() * 3600 + local.getMinutes() * 60)}, which may be after the next step`,
        });
        break;
      }
      if (problems.at(-1)?.path[1] === i) break;
    }
  }
  return problems;
}
