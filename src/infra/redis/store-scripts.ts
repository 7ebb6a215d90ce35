/** The store's smaller atomic scripts (audit append, manual locks) and the helper that runs any of them. */
import type { RedisClient } from './redis-connector.ts';

/** A Lua script with a fixed number of keys; ioredis sends EVALSHA and falls back to EVAL after a restart. */
export interface LuaScript {
  readonly name: string;
  readonly keys: number;
  /** Takes any number of keys after its `keys` first ones. */
  readonly moreKeys?: true;
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
  if (script.moreKeys ? keys.length < script.keys : keys.length !== script.keys)
    throw new Error(`${script.name} takes ${script.keys} keys, got ${keys.length}`);
  let names = defined.get(redis);
  if (!names) {
    names = new Set();
    defined.set(redis, names);
  }
  if (!names.has(script.name)) {
    // Without numberOfKeys, ioredis takes the number of keys as the first argument.
    redis.defineCommand(
      script.name,
      script.moreKeys ? { lua: script.lua } : { numberOfKeys: script.keys, lua: script.lua },
    );
    names.add(script.name);
  }
  const call = (redis as unknown as Record<string, ScriptCaller>)[script.name];
  if (!call) throw new Error(`script ${script.name} is not defined`);
  return await (script.moreKeys
    ? call.call(redis, keys.length, ...keys, ...args)
    : call.call(redis, ...keys, ...args));
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
 * KEYS: audit list, a mark. ARGV: expected length, the mark's seconds, records… Returns 1, 0 when the length moved,
 * or 2 when the mark was set before (nothing appended).
 */
export const APPEND_AUDIT_ONCE: LuaScript = {
  name: 'preflightAppendAuditOnce',
  keys: 2,
  lua: `
if redis.call('EXISTS', KEYS[2]) == 1 then return 2 end
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[2]))
return 1
`,
};

/**
 * Takes a manual lock, or removes a manual lock or rollback hold, with its audit records in the same step.
 * KEYS: 1 lock  2 the request's mark (evt:<request>)  3 audit log  4 its head  5 a second audit log  6 its head.
 * ARGV: 1 'lock' | 'unlock'  2 the holder JSON to set (lock) or the one expected there (unlock)  3 now (ms)
 *       4 the lock's TTL (ms)  5 the mark's TTL in s ('' = no request)  6 the log's expected length ('' = no records)
 *       7 its head JSON after the records  8 how many records go to it  9, 10, 11 the same for the second log
 *       12.. the records of the first log, then of the second.
 * Replies {'done', removed holder JSON (unlock)}, {'held', holder JSON} (lock: something else holds it),
 * {'none'} (unlock: nothing to remove), or {'moved'} (the lock or a log changed since they were read: nothing
 * written; read again and retry). Every check runs before the first write.
 */
export const CHANGE_LOCK: LuaScript = {
  name: 'preflightChangeLock',
  keys: 6,
  lua: `
local raw = redis.call('GET', KEYS[1])
if ARGV[1] == 'lock' then
  if raw then
    local holder = cjson.decode(raw)
    if not (holder.kind == 'manual' and tonumber(holder.expiresAt) <= tonumber(ARGV[3])) then return {'held', raw} end
  end
else
  if not raw or cjson.decode(raw).kind == 'deployment' then return {'none'} end
  if raw ~= ARGV[2] then return {'moved'} end
end
if ARGV[6] ~= '' and redis.call('LLEN', KEYS[3]) ~= tonumber(ARGV[6]) then return {'moved'} end
if ARGV[9] ~= '' and redis.call('LLEN', KEYS[5]) ~= tonumber(ARGV[9]) then return {'moved'} end
if ARGV[1] == 'lock' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
else
  redis.call('DEL', KEYS[1])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], KEYS[1], 'EX', ARGV[5]) end
local first = tonumber(ARGV[8])
for i = 12, 11 + first do redis.call('RPUSH', KEYS[3], ARGV[i]) end
if ARGV[6] ~= '' then redis.call('SET', KEYS[4], ARGV[7]) end
for i = 12 + first, #ARGV do redis.call('RPUSH', KEYS[5], ARGV[i]) end
if ARGV[9] ~= '' then redis.call('SET', KEYS[6], ARGV[10]) end
if ARGV[1] == 'lock' then return {'done'} end
return {'done', raw}
`,
};

/** KEYS: alert firing marks. Clears each that reads 'resolved' (a firing counted since stays counted). */
export const CLEAR_RESOLVED_MARKS: LuaScript = {
  name: 'preflightClearResolvedMarks',
  keys: 0,
  moreKeys: true,
  lua: `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == 'resolved' then redis.call('DEL', KEYS[i]) end
end
return 1
`,
};
