/**
 * Notices a Redis that lost Preflight's data while the process ran (restarted without its append-only file, or a
 * failover to a replica that had not copied it). A mark written once per installation is then gone, or another
 * process wrote a new one. The deployments, approvals and timers Redis held are gone too and only a person can
 * take stock, so this says so in an error line and keeps saying it in /readyz until Preflight is restarted.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { RedisClient } from './redis-connector.ts';

export interface RedisDataWatch {
  /** Why Redis is known to have lost Preflight's data, or undefined while it has not. */
  lost(): string | undefined;
  /** Reads the mark again; resolves to `lost()`. Redis being unreachable says nothing about its data. */
  check(): Promise<string | undefined>;
}

/** Writes the mark (unless one is there) and checks it again each time the connection is ready anew. */
export async function watchRedisData(deps: {
  readonly redis: RedisClient;
  readonly key: string;
  readonly logger: Logger;
}): Promise<RedisDataWatch> {
  const { redis, key, logger } = deps;
  await redis.set(key, randomUUID(), 'NX');
  const mark = await redis.get(key);
  let lost: string | undefined;
  const check = async () => {
    if (lost !== undefined || mark === null) return lost;
    const now = await redis.get(key).catch(() => mark);
    if (now === mark || lost !== undefined) return lost;
    const at = new Date().toISOString();
    lost = `lost its data at ${at} (it came back empty): deployments, approvals and pending pages it held are gone; make it keep its data (appendonly yes), take stock with /deploy history and /incident status, then restart Preflight`;
    logger.error(
      { key, markFound: now !== null },
      `Redis came back empty: it ${lost.replace(` at ${at}`, '')}`,
    );
    return lost;
  };
  redis.on('ready', () => void check());
  return { lost: () => lost, check };
}
