/**
 * ReasonReplies in Redis: one hash per person and deployment thread, `r<µs>` → a reply's text and `x` → when their
 * ❌ was made, expiring a few minutes after its last write. Each call is one script, so a reply and the ❌ it
 * explains, handled at the same moment in two processes, never both miss each other.
 */
import { createKeySpace, type ReasonMatch, type ReasonReplies } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

/** The most replies kept per person and thread: a long conversation keeps its first ones. */
const MAX_KEPT = 20;

/**
 * KEYS: the hash. ARGV: what ('keep' | 'rejected'), at, ms, text (keep), MAX_KEPT. Records a reply or a ❌ (the
 * earliest ❌ stays); answers the ❌'s time ('' when none is known) and the text of the first reply written after it.
 */
const RECORD = `local h = KEYS[1]
if ARGV[1] == 'keep' then
  if redis.call('HLEN', h) < tonumber(ARGV[5]) then redis.call('HSET', h, 'r' .. ARGV[2], ARGV[4]) end
else
  local was = redis.call('HGET', h, 'x')
  if not was or tonumber(ARGV[2]) < tonumber(was) then redis.call('HSET', h, 'x', ARGV[2]) end
end
redis.call('PEXPIRE', h, ARGV[3])
local x = redis.call('HGET', h, 'x')
if not x then return {'', ''} end
local after = tonumber(x)
local best, text = nil, ''
local all = redis.call('HGETALL', h)
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 1) == 'r' then
    local t = tonumber(string.sub(all[i], 2))
    if t and t > after and (best == nil or t < best) then best, text = t, all[i + 1] end
  end
end
return {x, text}`;

export function createRedisReasonReplies(deps: { redis: RedisClient; prefix: string }): ReasonReplies {
  const keys = createKeySpace(deps.prefix);
  const record = async (key: string, args: readonly string[]): Promise<ReasonMatch> => {
    const [x, text] = (await deps.redis.eval(RECORD, 1, keys.reasonReplies(key), ...args)) as [
      string,
      string,
    ];
    return {
      ...(x !== '' && { rejectedAt: Number(x) }),
      ...(text !== '' && { reason: text }),
    };
  };
  return {
    keep: (key, reply, ms) =>
      record(key, ['keep', String(reply.at), String(ms), reply.text, String(MAX_KEPT)]),
    rejected: (key, at, ms) => record(key, ['rejected', String(at), String(ms), '', String(MAX_KEPT)]),
  };
}
