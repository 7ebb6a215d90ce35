/** Message references in Redis, both ways: per deployment (key → ref) and per chat message (ref → key). */

import { createKeySpace, type Deduper, type MessageIndex, type MessageRef } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

const KEEP_SECONDS = 90 * 86_400;

/** A message index that survives restarts, so a reaction finds its gate days later. */
export function createRedisMessageIndex(deps: { redis: RedisClient; prefix: string }): MessageIndex {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix);
  const byDeployment = keys.messages;
  const byRef = keys.messageRef;
  return {
    async save(deploymentId, key, ref) {
      await redis
        .multi()
        .hset(byDeployment(deploymentId), key, JSON.stringify(ref))
        .expire(byDeployment(deploymentId), KEEP_SECONDS)
        .set(
          byRef(ref.platform, ref.channel, ref.id),
          JSON.stringify({ deploymentId, key }),
          'EX',
          KEEP_SECONDS,
        )
        .exec();
    },
    async noteAttempt(deploymentId, key, at) {
      const field = `attempt:${key}`;
      const replies = await redis
        .multi()
        .hsetnx(byDeployment(deploymentId), field, String(at))
        .hget(byDeployment(deploymentId), field)
        .expire(byDeployment(deploymentId), KEEP_SECONDS)
        .exec();
      const [[, created] = [], [, first] = []] = replies ?? [];
      return created === 1 ? undefined : Number(first);
    },
    async find(deploymentId, key) {
      const text = await redis.hget(byDeployment(deploymentId), key);
      return text ? (JSON.parse(text) as MessageRef) : undefined;
    },
    async lookup(platform, channel, id) {
      const text = await redis.get(byRef(platform, channel, id));
      return text ? (JSON.parse(text) as { deploymentId: string; key: string }) : undefined;
    },
  };
}

/** First-time detection with SET NX EX. */
export function createRedisDeduper(deps: { redis: RedisClient; prefix: string }): Deduper {
  const keys = createKeySpace(deps.prefix);
  return {
    async first(key, ttlSeconds) {
      return (await deps.redis.set(keys.seen(key), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async seen(key) {
      return (await deps.redis.exists(keys.seen(key))) === 1;
    },
  };
}
