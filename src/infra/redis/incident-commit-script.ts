/** The Lua script behind IncidentStore.commit. */
import type { LuaScript } from './store-scripts.ts';

/**
 * Applies an incident commit atomically; replies 'committed', 'conflict' (nothing written), or 'exists:<id>' when
 * a new incident's deployment (or service and environment) already has open incident <id>: one incident per cause.
 * KEYS: 1 inc:<id>  2 audit:<id>  3 incs  4 outbox  5 incdep:<deployment> or incsvc:<service>:<environment>
 * ARGV: 1 expected revision ('' = must not exist)  2 expected audit length  3 incident JSON  4 id  5 openedAt
 *       6 revision after  7 effects JSON ('' = none)  8 outbox MAXLEN  9 deployment link ('' | 'set' | 'clear')
 *       10.. audit records JSON
 */
export const INCIDENT_COMMIT_SCRIPT: LuaScript = {
  name: 'preflightIncidentCommit',
  keys: 5,
  lua: `
local stored = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if stored then return 'conflict' end
  local open = redis.call('GET', KEYS[5])
  if ARGV[9] == 'set' and open and open ~= ARGV[4] then return 'exists:' .. open end
else
  if not stored then return 'conflict' end
  if tostring(cjson.decode(stored).revision) ~= ARGV[1] then return 'conflict' end
end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then return 'conflict' end
redis.call('SET', KEYS[1], ARGV[3])
for i = 10, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
if ARGV[7] ~= '' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', 'incident', ARGV[4], 'revision', ARGV[6], 'effects', ARGV[7])
end
if ARGV[9] == 'set' then redis.call('SET', KEYS[5], ARGV[4]) end
if ARGV[9] == 'clear' and redis.call('GET', KEYS[5]) == ARGV[4] then redis.call('DEL', KEYS[5]) end
return 'committed'
`,
};
