/** Clock times (`14:00`, `14:10:30`, `24:00`) and offsets (`+30s`) as step `at` values. */
import { parseDuration } from './duration.ts';

/** A step time: a clock time in the runbook's zone on the deployment's day, or an offset from the run's start. */
export type StepTime =
  | { readonly kind: 'clock'; readonly seconds: number; readonly text: string }
  | { readonly kind: 'offset'; readonly ms: number; readonly text: string };

const CLOCK_RE = /^([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?$/;

/** Parses `HH:MM[:SS]` into seconds after midnight; `undefined` when invalid. `24:00` is the end of the day. */
export function parseClock(text: string): number | undefined {
  const match = CLOCK_RE.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
  return seconds > 86_400 ? undefined : seconds;
}

/** Parses a step `at`: a clock time or `+<duration>`. */
export function parseStepTime(text: string): StepTime | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) {
    const ms = parseDuration(trimmed.slice(1));
    return ms === undefined ? undefined : { kind: 'offset', ms, text: trimmed };
  }
  const seconds = parseClock(trimmed);
  return seconds === undefined ? undefined : { kind: 'clock', seconds, text: trimmed };
}

/** Formats seconds after midnight as `HH:MM` (or `HH:MM:SS` when seconds are set). */
export function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const hm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return s === 0 ? hm : `${hm}:${String(s).padStart(2, '0')}`;
}
