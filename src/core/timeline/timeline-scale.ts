/** The time axis: evenly spaced up to the focus end, then a logarithmic tail so a week fits beside a minute. */
import { formatZoned } from '../schedule/zoned-time.ts';

export interface TimeScale {
  /** x in pixels for an instant. */
  x(at: number): number;
  readonly ticks: readonly AxisTick[];
  /** x where the compressed tail begins, when there is one. */
  readonly breakX?: number;
}

export interface AxisTick {
  readonly at: number;
  readonly x: number;
  /** In the runbook's zone. */
  readonly local: string;
  /** The same instant in UTC, or '' when the zone is UTC. */
  readonly utc: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];
const TAIL_SHARE = 0.28;
const TAIL_TICKS = [10 * MINUTE, HOUR, 4 * HOUR, DAY, 7 * DAY, 30 * DAY];

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC';
}

function label(at: number, zone: string, pattern: string): Pick<AxisTick, 'local' | 'utc'> {
  const local = formatZoned(at, zone, pattern);
  return { local, utc: isUtc(zone) ? '' : `${formatZoned(at, 'UTC', pattern)} UTC` };
}

/** Builds the scale for [from, to] drawn between left and right pixels. */
export function createTimeScale(span: {
  from: number;
  to: number;
  focusTo: number;
  left: number;
  right: number;
  zone: string;
}): TimeScale {
  const { from, left, right, zone } = span;
  const to = Math.max(span.to, from + SECOND);
  const focusTo = Math.min(Math.max(span.focusTo, from + SECOND), to);
  const hasTail = to - focusTo > (focusTo - from) * 0.05;
  const focusRight = hasTail ? left + (right - left) * (1 - TAIL_SHARE) : right;
  const focusEnd = hasTail ? focusTo : to;
  const tailUnit = Math.max((focusEnd - from) / 20, SECOND);
  const tailMax = Math.log1p((to - focusEnd) / tailUnit);
  const x = (instant: number): number => {
    const at = Math.min(Math.max(instant, from), to);
    if (at <= focusEnd || !hasTail) return left + ((at - from) / (focusEnd - from)) * (focusRight - left);
    return focusRight + (Math.log1p((at - focusEnd) / tailUnit) / tailMax) * (right - focusRight);
  };
  const spanMs = focusEnd - from;
  const step = STEPS.find((s) => spanMs / s <= 10) ?? DAY;
  const pattern = step < MINUTE ? 'HH:mm:ss' : step < DAY ? 'HH:mm' : 'MMM d';
  const ticks: AxisTick[] = [];
  for (let at = Math.ceil(from / step) * step; at <= focusEnd; at += step)
    ticks.push({ at, x: x(at), ...label(at, zone, pattern) });
  if (hasTail) {
    let lastX = focusRight;
    for (const offset of TAIL_TICKS) {
      const at = Math.round((focusEnd + offset) / HOUR) * HOUR;
      if (at > to) break;
      if (x(at) - lastX < 64) continue;
      lastX = x(at);
      ticks.push({ at, x: lastX, ...label(at, zone, 'EEE HH:mm') });
    }
  }
  return { x, ticks, ...(hasTail && { breakX: focusRight }) };
}
