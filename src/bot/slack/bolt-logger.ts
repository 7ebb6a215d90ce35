/** Bolt's and the WebClient's log lines, into Preflight's logger (which filters levels and redacts). */
import { type Logger, LogLevel } from '@slack/bolt';
import type { SlackLog } from './slack-types.ts';

function entry(parts: readonly unknown[]): [object, string] {
  const err = parts.find((p) => p instanceof Error);
  const text = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
  return [{ source: 'bolt', ...(err && { err }) }, text || (err as Error | undefined)?.message || ''];
}

/**
 * Bolt's warning for a payload it cannot place: both receivers say such a request once, with its kind, when they
 * answer it (http-receiver.ts, socket-receiver.ts), so Bolt's own line is only a detail.
 */
const UNPLACED = 'Could not determine the type of an incoming event';

/** Adapts a pino-style logger to Bolt's Logger interface. */
export function createBoltLogger(log: SlackLog): Logger {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => log.debug(...entry(parts)),
    info: (...parts: unknown[]) => log.info(...entry(parts)),
    warn: (...parts: unknown[]) =>
      String(parts[0]).startsWith(UNPLACED) ? log.debug(...entry(parts)) : log.warn(...entry(parts)),
    error: (...parts: unknown[]) => log.error(...entry(parts)),
    setLevel(next) {
      level = next;
    },
    getLevel: () => level,
    setName() {},
  };
}
