/** Start-up waits a bounded time for Redis to answer, instead of retrying silently forever. */
import { Cluster } from 'ioredis';
import { StartupError } from '../startup-error.ts';
import type { RedisClient } from './redis-connector.ts';

export const REDIS_CONNECT_TIMEOUT_MS = 10_000;

const firstLine = (error: Error): string => error.message.split('\n')[0] ?? '';

/** PING, then the database REDIS_URL names: ioredis only reports a failed SELECT as an event and stays in db 0. */
async function openSession(redis: RedisClient, where: string): Promise<void> {
  await redis.ping();
  const db = redis instanceof Cluster ? 0 : (redis.options.db ?? 0);
  if (db === 0) return;
  try {
    await redis.select(db);
  } catch (error) {
    throw new StartupError(
      `REDIS_URL names database ${db}, which the Redis at ${where} does not have (${firstLine(error as Error)}): ` +
        'use a lower number (0–15 on a default Redis) or raise "databases" in its configuration',
    );
  }
}

/**
 * Resolves once `redis` answers and uses REDIS_URL's database; otherwise a StartupError naming where (`where`:
 * no password) and why.
 */
export async function waitForRedis(
  redis: RedisClient,
  where: string,
  timeoutMs = REDIS_CONNECT_TIMEOUT_MS,
): Promise<void> {
  let lastError: string | undefined;
  const remember = (error: Error): void => {
    lastError = firstLine(error);
  };
  redis.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      openSession(redis, where).then(
        () => 'ready' as const,
        (error: Error) => error,
      ),
      timedOut,
    ]);
    if (answer === 'ready') return;
    if (answer instanceof StartupError) throw answer;
    const reason = answer instanceof Error ? firstLine(answer) : lastError;
    throw new StartupError(
      `cannot reach Redis at ${where}${reason ? ` (${reason})` : ''} within ${timeoutMs / 1000} s: ` +
        'start it, or set REDIS_URL to a Redis that runs',
    );
  } finally {
    clearTimeout(timer);
    redis.off('error', remember);
  }
}
