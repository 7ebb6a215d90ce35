/** Warnings that repeat while Redis is away (every reconnect attempt of every queue): one line per key per window. */
import type { JobLogger } from './processors/processor-deps.ts';

const WINDOW_MS = 30_000;

/** Returns `warn(key, obj, msg)`: logs at once, then at most once per window per key, counting those left out. */
export function createThrottledWarn(log: Pick<JobLogger, 'warn'>, windowMs = WINDOW_MS) {
  const seen = new Map<string, { at: number; left: number }>();
  return (key: string, obj: object, msg: string): void => {
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < windowMs) {
      last.left += 1;
      return;
    }
    seen.set(key, { at: now, left: 0 });
    log.warn({ ...obj, ...(last && last.left > 0 && { repeatsNotLogged: last.left }) }, msg);
  };
}
