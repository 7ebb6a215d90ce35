/**
 * ReactionClaims in Redis: one key per claim under the installation's `seen:` keys, holding the claiming request and
 * when its reaction was made.
 */
import { createKeySpace, type ReactionClaims } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** KEYS: the claim. ARGV: request, at, ms. 1 when the claim is (now or already) this request's. */
const CLAIM = `local held = redis.call('HGET', KEYS[1], 'request')
if not held then
  redis.call('HSET', KEYS[1], 'request', ARGV[1], 'at', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
if held == ARGV[1] then return 1 end
return 0`;

/** KEYS: the claim. ARGV: at. Deletes the claim when its reaction was made before `at`. */
const RELEASE = `local at = redis.call('HGET', KEYS[1], 'at')
if at and tonumber(at) < tonumber(ARGV[1]) then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisReactionClaims(deps: { redis: RedisClient; prefix: string }): ReactionClaims {
  const keys = createKeySpace(deps.prefix);
  const claimKey = (key: string) => keys.seen(`reaction-claim:${key}`);
  return {
    async claim(key, request, at, ms) {
      return (await deps.redis.eval(CLAIM, 1, claimKey(key), request, String(at), String(ms))) === 1;
    },
    async release(key, at) {
      await deps.redis.eval(RELEASE, 1, claimKey(key), String(at));
    },
  };
}
