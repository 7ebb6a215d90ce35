/** Semantic rules for time: a real time zone, a sane window, step times inside it and in order. */
import type { PathProblem } from './diagnostic.ts';
import { formatDuration } from './duration.ts';
import { checkClockGaps } from './rules-clock-gaps.ts';
import { checkClockRepeats } from './rules-clock-repeats.ts';
import type { Runbook } from './schema.ts';
import { suggest } from './suggest.ts';
import { formatClock, type StepTime } from './time-of-day.ts';

/** True when the zone is an IANA name or a UTC offset the runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone a misspelt one was meant to be, if the runtime knows one close enough. */
function suggestTimeZone(zone: string): string | undefined {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return suggest(zone, zones);
}

const describeStepTime = (at: StepTime): string =>
  at.kind === 'clock' ? `a time of day (${at.text})` : `an offset (${at.text})`;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function checkWindow(runbook: Runbook): PathProblem[] {
  const window = runbook.window;
  if (!window) return [];
  const problems: PathProblem[] = [];
  if (window.end === window.start) {
    problems.push({
      path: ['window', 'end'],
      message: `the window starts and ends at ${formatClock(window.start)}, so it is never open; for a window past midnight write e.g. start: "22:00", end: "02:00"`,
    });
  }
  if (window.outside === 'override' && window.override_gate === undefined) {
    problems.push({
      path: ['window', 'outside'],
      message: 'outside: override needs "override_gate", the gate that allows a start outside the window',
    });
  }
  if (window.override_gate !== undefined && window.outside !== 'override') {
    problems.push({
      path: ['window', 'override_gate'],
      atKey: true,
      severity: 'warning',
      message: 'override_gate is ignored unless outside: override',
    });
  }
  window.dates?.forEach((date, i) => {
    const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()];
    if (window.days && weekday && !window.days.includes(weekday)) {
      problems.push({
        path: ['window', 'dates', i],
        message: `${date} is a ${weekday}, which is not one of the window's days (${window.days.join(', ')})`,
      });
    }
  });
  return problems;
}

function checkStepTimes(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  const timed = runbook.steps.map((s, i) => ({ at: s.at, i })).filter((t) => t.at !== undefined);
  const first = timed[0];
  const other = timed.find((t) => t.at?.kind !== first?.at?.kind);
  if (first?.at && other?.at) {
    return [
      {
        path: ['steps', other.i, 'at'],
        message: `this step starts at ${describeStepTime(other.at)} but steps[${first.i}] at ${describeStepTime(first.at)}; use either times of day (14:10) or offsets (+10m) for all steps`,
      },
    ];
  }
  let previous: { value: number; i: number; text: string } | undefined;
  for (const { at, i } of timed) {
    if (!at) continue;
    // In a window past midnight, 00:30 comes after 23:00.
    const overnight = runbook.window !== undefined && runbook.window.end < runbook.window.start;
    const nextDay = at.kind === 'clock' && overnight && at.seconds < (runbook.window?.start ?? 0);
    const value = at.kind === 'clock' ? (at.seconds + (nextDay ? 86_400 : 0)) * 1000 : at.ms;
    if (previous && value < previous.value) {
      problems.push({
        path: ['steps', i, 'at'],
        message: `step time ${at.text} is earlier than the step before it (steps[${previous.i}] at ${previous.text}); steps run in the order listed, so reorder them or fix the time`,
      });
    }
    previous = { value, i, text: at.text };
    const window = runbook.window;
    const inside =
      window === undefined ||
      at.kind !== 'clock' ||
      (window.end < window.start
        ? at.seconds >= window.start || at.seconds < window.end
        : at.seconds >= window.start && at.seconds < window.end);
    if (!inside) {
      problems.push({
        path: ['steps', i, 'at'],
        message: `step time ${at.text} is outside the deployment window ${formatClock(window.start)}–${formatClock(window.end)}`,
      });
    }
    // An offset as long as the window itself falls after it closes, even for a deployment started as it opens.
    const windowMs = window && ((window.end - window.start + 86_400) % 86_400 || 86_400) * 1000;
    if (window && windowMs !== undefined && at.kind === 'offset' && at.ms >= windowMs) {
      problems.push({
        path: ['steps', i, 'at'],
        severity: 'warning',
        message: `step time ${at.text} comes after the ${formatDuration(windowMs)} deployment window ${formatClock(window.start)}–${formatClock(window.end)} has closed, even for a deployment started as it opens`,
      });
    }
  }
  return problems;
}

function checkMonitoring(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  runbook.monitoring?.forEach((w, i) => {
    if (w.to <= w.from)
      problems.push({
        path: ['monitoring', i, 'to'],
        message: `this monitoring window ends (to: ${formatDuration(w.to)}) before it starts (from: ${formatDuration(w.from)}); "to" must be later than "from"`,
      });
    if (w.every !== undefined && w.every <= 0)
      problems.push({ path: ['monitoring', i, 'every'], message: '"every" must be longer than 0s' });
    if (w.every !== undefined && w.every > w.to - w.from) {
      problems.push({
        path: ['monitoring', i, 'every'],
        severity: 'warning',
        message: `checks every ${formatDuration(w.every)} run at most once in a ${formatDuration(w.to - w.from)} window`,
      });
    }
    if (w.checks && w.checks.length > 0 && w.every === undefined) {
      problems.push({
        path: ['monitoring', i],
        message: 'monitoring with checks needs "every", how often to run them',
      });
    }
  });
  return problems;
}

/** Time zone, window, step times and monitoring windows are consistent. */
export function checkSchedule(runbook: Runbook): PathProblem[] {
  const problems: PathProblem[] = [];
  if (!isValidTimeZone(runbook.timezone)) {
    const meant = suggestTimeZone(runbook.timezone);
    problems.push({
      path: ['timezone'],
      message: `unknown time zone "${runbook.timezone}"; ${meant === undefined ? 'use an IANA name like Asia/Shanghai or an offset like +08:00' : `did you mean "${meant}"?`}`,
    });
  }
  const gaps = problems.length === 0 ? [...checkClockGaps(runbook), ...checkClockRepeats(runbook)] : [];
  return [
    ...problems,
    ...checkWindow(runbook),
    ...checkStepTimes(runbook),
    ...gaps,
    ...checkMonitoring(runbook),
  ];
}
