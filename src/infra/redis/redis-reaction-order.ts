/**
 * ReactionOrder in Redis: a short lock per key, and the time of the last reaction applied under it. Two round trips
 * a reaction: one script takes the lock and reads the last time, one records the new time and lets the lock go. The
 * caller's read is sent on the same connection right behind the script, so Redis runs it once the lock is taken and
 * its answer comes back with the lock's.
 */
import { randomUUID } from 'node:crypto';
import { createKeySpace, InboxRetry, type ReactionOrder } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** Longer than any apply (one commit); a process that dies holding the lock frees it after this. */
const LOCK_MS = 15_000;
/** How long a reaction waits for another of its key before the inbox hands it over again. */
const WAIT_MS = 5_000;
const DAY_S = 86_400;

/** KEYS: lock, last. ARGV: token, lock ms. False while another holds the lock; else the last time ('' for none). */
const ACQUIRE = `if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
return redis.call('GET', KEYS[2]) or ''`;

/** KEYS: lock, last. ARGV: token, the time applied ('' when none was), seconds to keep it. Only the holder's. */
const RELEASE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
return redis.call('DEL', KEYS[1])`;

export function createRedisReactionOrder(deps: { redis: RedisClient; prefix: string }): ReactionOrder {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix);
  /**
   * Takes the key's lock; resolves with the time of the last reaction applied under it and `read` as asked right
   * behind the lock that was taken (a read behind a lock not taken may predate the holder's apply: dropped).
   */
  const acquire = async <T>(
    key: string,
    token: string,
    read: (() => Promise<T>) | undefined,
  ): Promise<{ last: number; read: Promise<T | undefined> | undefined }> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const taking = redis.eval(
        ACQUIRE,
        2,
        keys.reaction(key, 'lock'),
        keys.reaction(key, 'last'),
        token,
        String(LOCK_MS),
      ) as Promise<string | null>;
      // A read that fails is left to `apply`, which then reads on its own.
      const reading = read?.().catch(() => undefined);
      const last = await taking;
      if (last !== null)
        return { last: last === '' ? Number.NEGATIVE_INFINITY : Number(last), read: reading };
      if (Date.now() > deadline)
        throw new InboxRetry('another reaction of this person on this message is still being applied');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const release = (key: string, token: string, applied: number | undefined) =>
    redis.eval(
      RELEASE,
      2,
      keys.reaction(key, 'lock'),
      keys.reaction(key, 'last'),
      token,
      applied === undefined ? '' : String(applied),
      String(DAY_S),
    );
  return {
    async run(key, at, apply, read) {
      const token = randomUUID();
      const taken = await acquire(key, token, read);
      let applied: number | undefined;
      try {
        if (taken.last >= at) return 'overtaken';
        await apply(await taken.read);
        applied = at;
        return 'applied';
      } finally {
        await release(key, token, applied).catch(() => undefined);
      }
    },
  };
}
