/** The store's smaller atomic scripts (audit append, manual locks) and the helper that runs any of them. */
import type { RedisClient } from './redis-connector.ts';

/** A Lua script with a fixed number of keys; ioredis sends EVALSHA and falls back to EVAL after a restart. */
export interface LuaScript {
  readonly name: string;
  readonly keys: number;
  readonly lua: string;
}

type ScriptCaller = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

const defined = new WeakMap<RedisClient, Set<string>>();

/** Runs a script on a client, defining it on first use. */
export async function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (keys.length !== script.keys)
    throw new Error(`${script.name} takes ${script.keys} keys, got ${keys.length}`);
  let names = defined.get(redis);
  if (!names) {
    names = new Set();
    defined.set(redis, names);
  }
  if (!names.has(script.name)) {
    redis.defineCommand(script.name, { numberOfKeys: script.keys, lua: script.lua });
    names.add(script.name);
  }
  const call = (redis as unknown as Record<string, ScriptCaller>)[script.name];
  if (!call) throw new Error(`script ${script.name} is not defined`);
  return await call.call(redis, ...keys, ...args);
}

/** KEYS: audit list. ARGV: expected length, records… Returns 1, or 0 when the length moved. */
export const APPEND_AUDIT: LuaScript = {
  name: 'preflightAppendAudit',
  keys: 1,
  lua: `
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return 1
`,
};

/**
 * KEYS: lock, the request's mark (evt:<request>). ARGV: holder JSON, now, ttl ms, the mark's TTL in s ('' = no
 * request). Returns nil when taken, else the current holder's JSON; the mark names the lock once it is taken.
 */
export const LOCK_MANUALLY: LuaScript = {
  name: 'preflightLockManually',
  keys: 2,
  lua: `
local raw = redis.call('GET', KEYS[1])
if raw then
  local holder = cjson.decode(raw)
  if not (holder.kind == 'manual' and tonumber(holder.expiresAt) <= tonumber(ARGV[2])) then return raw end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], KEYS[1], 'EX', ARGV[4]) end
return false
`,
};

/**
 * KEYS: lock, the request's mark. ARGV: the mark's TTL in s ('' = no request). Deletes a manual lock or a rollback
 * hold and returns its JSON; a deployment's lock stays (nil).
 */
export const UNLOCK_MANUALLY: LuaScript = {
  name: 'preflightUnlockManually',
  keys: 2,
  lua: `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
if cjson.decode(raw).kind == 'deployment' then return false end
redis.call('DEL', KEYS[1])
if ARGV[1] ~= '' then redis.call('SET', KEYS[2], KEYS[1], 'EX', ARGV[1]) end
return raw
`,
};
