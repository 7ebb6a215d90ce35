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

/** Adapts a pino-style logger to Bolt's Logger interface. */
export function createBoltLogger(log: SlackLog): Logger {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => log.debug(...entry(parts)),
    info: (...parts: unknown[]) => log.info(...entry(parts)),
    warn: (...parts: unknown[]) => log.warn(...entry(parts)),
    error: (...parts: unknown[]) => log.error(...entry(parts)),
    setLevel(next) {
      level = next;
    },
    getLevel: () => level,
    setName() {},
  };
}
