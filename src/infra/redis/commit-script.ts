/** The Lua script behind DeploymentStore.commit. */
import type { LuaScript } from './store-scripts.ts';

/**
 * Applies a deployment commit atomically. Replies: {'committed'}, {'duplicate', id the event was applied to},
 * {'conflict'} or {'locked', holderJson}. Every check runs before the first write, so a refused commit writes nothing.
 *
 * KEYS: 1 dep:<id>  2 audit:<id>  3 deps:<service>  4 deps (all services)  5 lock:<service>:<env>  6 outbox
 *       7 evt:<eventId>, holding the deployment id (or any key when ARGV[8] is '')  8 live:<service>:<env>  9 active deployments
 *       10 audit-head:<id>
 * ARGV: 1 expected revision ('' = the deployment must not exist)  2 expected audit length  3 deployment JSON
 *       4 deployment id  5 requestedAt  6 lock change ('' | 'acquire' | 'release' | 'hold': a rollback hold)  7 now (ms)
 *       8 eventId ('' = none)  9 event marker TTL (s)  10 revision after  11 effects JSON ('' = none)
 *       12 outbox MAXLEN  13 live mode ('' | 'set' | 'own' | 'clear')  14 live JSON  15 final ('1' | '0')
 *       16 audit head JSON after the records ('' = no records)  17.. audit records JSON
 */
export const COMMIT_SCRIPT: LuaScript = {
  name: 'preflightCommit',
  keys: 10,
  lua: `
local id = ARGV[4]
if ARGV[8] ~= '' then
  local applied = redis.call('GET', KEYS[7])
  if applied then return {'duplicate', applied} end
end

local stored = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if stored then return {'conflict'} end
else
  if not stored then return {'conflict'} end
  -- The revision is read off the text: decoding the whole deployment costs more than the rest of the commit.
  -- Inside a JSON string every quote is escaped, so the pattern only meets the property itself.
  local revision = string.match(stored, '"revision":(%d+)')
  if revision == nil then revision = tostring(cjson.decode(stored).revision) end
  if revision ~= ARGV[1] then return {'conflict'} end
end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then
  return {'conflict'}
end

local lockRaw = redis.call('GET', KEYS[5])
local holder = nil
if lockRaw then holder = cjson.decode(lockRaw) end
if ARGV[6] == 'acquire' and holder then
  if holder.kind ~= 'manual' and holder.id ~= id then
    return {'locked', lockRaw}
  end
  if holder.kind == 'manual' and tonumber(holder.expiresAt) > tonumber(ARGV[7]) then
    return {'locked', lockRaw}
  end
end

redis.call('SET', KEYS[1], ARGV[3])
for i = 17, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
end
if ARGV[16] ~= '' then
  redis.call('SET', KEYS[10], ARGV[16])
end
redis.call('ZADD', KEYS[3], ARGV[5], id)
redis.call('ZADD', KEYS[4], ARGV[5], id)
if ARGV[15] == '1' then
  redis.call('ZREM', KEYS[9], id)
else
  redis.call('ZADD', KEYS[9], ARGV[5], id)
end

if ARGV[6] == 'acquire' then
  redis.call('SET', KEYS[5], cjson.encode({kind = 'deployment', id = id}))
elseif ARGV[6] == 'release' and holder and holder.kind == 'deployment' and holder.id == id then
  redis.call('DEL', KEYS[5])
elseif ARGV[6] == 'hold' and not (holder and holder.kind == 'manual') then
  local d = cjson.decode(ARGV[3])
  redis.call('SET', KEYS[5], cjson.encode({kind = 'rollback', id = id, state = d.state,
    reason = d.outcome or d.state, at = tonumber(ARGV[7])}))
end

if ARGV[11] ~= '' then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[12], '*',
    'deployment', id, 'revision', ARGV[10], 'effects', ARGV[11])
end
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[7], id, 'EX', ARGV[9])
end

if ARGV[13] ~= '' then
  local liveRaw = redis.call('GET', KEYS[8])
  local ours = (not liveRaw) or cjson.decode(liveRaw).deployment == id
  if ARGV[13] == 'set' or (ARGV[13] == 'own' and ours) then
    redis.call('SET', KEYS[8], ARGV[14])
  elseif ARGV[13] == 'clear' and liveRaw and ours then
    redis.call('DEL', KEYS[8])
  end
end
return {'committed'}
`,
};
