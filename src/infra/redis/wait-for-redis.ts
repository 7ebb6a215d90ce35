/** Start-up waits a bounded time for Redis to answer, instead of retrying silently forever. */
import { StartupError } from '../startup-error.ts';
import type { RedisClient } from './redis-connector.ts';

export const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/** Resolves once `redis` answers PING; otherwise a StartupError naming where (`where`: no password) and why. */
export async function waitForRedis(
  redis: RedisClient,
  where: string,
  timeoutMs = REDIS_CONNECT_TIMEOUT_MS,
): Promise<void> {
  let lastError: string | undefined;
  const remember = (error: Error): void => {
    lastError = error.message.split('\n')[0];
  };
  redis.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([redis.ping().catch((error: Error) => error), timedOut]);
    if (answer === 'PONG') return;
    const reason = answer instanceof Error ? answer.message.split('\n')[0] : lastError;
    throw new StartupError(
      `cannot reach Redis at ${where}${reason ? ` (${reason})` : ''} within ${timeoutMs / 1000} s: ` +
        'start it, or set REDIS_URL to a Redis that runs',
    );
  } finally {
    clearTimeout(timer);
    redis.off('error', remember);
  }
}
