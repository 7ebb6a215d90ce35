/** Message references in Redis, both ways: per deployment (key → ref) and per chat message (ref → key). */

import { createKeySpace, type MessageIndex, type MessageRef } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

const KEEP_SECONDS = 90 * 86_400;
/** How many of the messages this process indexed it remembers, so a reaction on one is found without a read. */
const REMEMBERED = 2_000;

type Target = { readonly deploymentId: string; readonly key: string };

/** A message index that survives restarts, so a reaction finds its gate days later. */
export function createRedisMessageIndex(deps: { redis: RedisClient; prefix: string }): MessageIndex {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix);
  const byDeployment = keys.messages;
  const byRef = keys.messageRef;
  const tried = keys.unconfirmedPosts;
  // A posted message names one deployment message for good, so what this process saved can be answered from here.
  const recent = new Map<string, Target>();
  const remember = (ref: string, target: Target) => {
    recent.delete(ref);
    recent.set(ref, target);
    if (recent.size > REMEMBERED) {
      const oldest = recent.keys().next().value;
      if (oldest !== undefined) recent.delete(oldest);
    }
  };
  return {
    async save(deploymentId, key, ref, as) {
      const target = { deploymentId, key: as ?? key };
      const saved = JSON.stringify(ref);
      const step = redis.multi().hset(byDeployment(deploymentId), key, saved);
      if (as !== undefined) step.hset(byDeployment(deploymentId), as, saved);
      await step
        .expire(byDeployment(deploymentId), KEEP_SECONDS)
        .set(byRef(ref.platform, ref.channel, ref.id), JSON.stringify(target), 'EX', KEEP_SECONDS)
        .exec();
      remember(byRef(ref.platform, ref.channel, ref.id), target);
    },
    async noteAttempt(deploymentId, key, at, platform) {
      const field = `attempt:${key}`;
      const step = redis
        .multi()
        .hsetnx(byDeployment(deploymentId), field, String(at))
        .hget(byDeployment(deploymentId), field)
        .expire(byDeployment(deploymentId), KEEP_SECONDS);
      if (platform !== undefined)
        step.zadd(tried(platform), 'NX', at, `${deploymentId}\n${key}`).expire(tried(platform), KEEP_SECONDS);
      const replies = await step.exec();
      const [[, created] = [], [, first] = []] = replies ?? [];
      return created === 1 ? undefined : Number(first);
    },
    async attempted(deploymentId, key) {
      return (await redis.hexists(byDeployment(deploymentId), `attempt:${key}`)) === 1;
    },
    async forgetAttempt(deploymentId, key) {
      await redis.hdel(byDeployment(deploymentId), `attempt:${key}`);
    },
    async unconfirmed(platform) {
      // Kept small as it is read: a post saved or given up since (or noted over 90 days ago) is dropped here.
      await redis.zremrangebyscore(tried(platform), '-inf', Date.now() - KEEP_SECONDS * 1000);
      for (const member of await redis.zrange(tried(platform), 0, 99)) {
        const [owner = '', key = ''] = member.split('\n');
        const [posted, attempt] = await redis.hmget(byDeployment(owner), key, `attempt:${key}`);
        if (posted === null && attempt !== null) return true;
        await redis.zrem(tried(platform), member);
      }
      return false;
    },
    async find(deploymentId, key) {
      const text = await redis.hget(byDeployment(deploymentId), key);
      return text ? (JSON.parse(text) as MessageRef) : undefined;
    },
    async lookup(platform, channel, id) {
      const ref = byRef(platform, channel, id);
      const known = recent.get(ref);
      if (known) return known;
      const text = await redis.get(ref);
      return text ? (JSON.parse(text) as Target) : undefined;
    },
  };
}
