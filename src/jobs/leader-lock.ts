/** One leader among processes sharing a Redis: a key held with an expiry and renewed while alive. */
import type { RedisClient } from './redis-client.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LeaderLock {
  /** Takes or keeps the lead; true while this process leads. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A lead renewed less than this part of its time ago is kept without asking Redis (its key has at least four fifths
 * of its time left): the outbox relay asks before every batch, which would otherwise cost a round trip a commit.
 */
const RENEW_EVERY_PART = 5;

/** A leader lock on `key`, held for `ttlMs` after each successful acquire. */
export function createLeaderLock(deps: {
  redis: RedisClient;
  key: string;
  id: string;
  ttlMs: number;
}): LeaderLock {
  let leading = false;
  let heldSince = 0;
  const held = (yes: boolean) => {
    leading = yes;
    if (yes) heldSince = performance.now();
    return yes;
  };
  return {
    async acquire() {
      if (leading && performance.now() - heldSince < deps.ttlMs / RENEW_EVERY_PART) return true;
      if (leading && held((await deps.redis.eval(RENEW, 1, deps.key, deps.id, String(deps.ttlMs))) === 1))
        return true;
      return held((await deps.redis.set(deps.key, deps.id, 'PX', deps.ttlMs, 'NX')) === 'OK');
    },
    async release() {
      if (leading) await deps.redis.eval(RELEASE, 1, deps.key, deps.id);
      leading = false;
    },
  };
}
