/** ReactionOrder in Redis: a short lock per key, and the time of the last reaction applied under it. */
import { randomUUID } from 'node:crypto';
import { createKeySpace, InboxRetry, type ReactionOrder } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** Longer than any apply (one commit); a process that dies holding the lock frees it after this. */
const LOCK_MS = 15_000;
/** How long a reaction waits for another of its key before the inbox hands it over again. */
const WAIT_MS = 5_000;
const DAY_S = 86_400;

/** Deletes the lock only while it is still this holder's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function createRedisReactionOrder(deps: { redis: RedisClient; prefix: string }): ReactionOrder {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix);
  const lock = async (key: string): Promise<string> => {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await redis.set(keys.reaction(key, 'lock'), token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline)
        throw new InboxRetry('another reaction of this person on this message is still being applied');
      await new Promise((r) => setTimeout(r, 20));
    }
    return token;
  };
  return {
    async run(key, at, apply) {
      const token = await lock(key);
      try {
        const last = Number((await redis.get(keys.reaction(key, 'last'))) ?? Number.NEGATIVE_INFINITY);
        if (last >= at) return 'overtaken';
        await apply();
        await redis.set(keys.reaction(key, 'last'), String(at), 'EX', DAY_S);
        return 'applied';
      } finally {
        await redis.eval(RELEASE, 1, keys.reaction(key, 'lock'), token).catch(() => undefined);
      }
    },
  };
}
