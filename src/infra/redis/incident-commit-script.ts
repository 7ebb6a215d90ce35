/** The Lua script behind IncidentStore.commit. */
import type { LuaScript } from './store-scripts.ts';

/**
 * Applies an incident commit atomically; replies 'committed', 'conflict' (nothing written), or 'exists:<id>' when
 * a new incident's deployment (or service and environment) already has open incident <id>: one incident per cause.
 * A new incident's number is taken here, when it is written: one whose number another took first is a 'conflict'
 * (the caller asks for the next), so a refused open uses up no number and the numbers have no gaps.
 * One cause across the two scopes too: a new deployment's incident joins the incident declared for its service and
 * environment, and a new declared one joins the latest open incident of a deployment there (incenv), so a declaration
 * and a trigger committing at once make one incident, whichever commits second.
 * An incident declared for a service that becomes a deployment's ('link') moves from incsvc to incdep in the same
 * write, unless the deployment has another open incident already: then 'exists:<that one>', nothing written.
 * An Alertmanager alert firing the write counts anew that was reported resolved refuses it: 'resolved', nothing
 * written; the others are marked counted (a mark already there is kept: 'resolved' stays).
 * KEYS: 1 inc:<id>  2 audit:<id>  3 incs  4 outbox  5 incdep:<deployment> or incsvc:<service>:<environment>
 *       6 seq:incident (the last number taken)  7 audit-head:<id>  8 incsvc:<service>:<environment>
 *       9 incenv:<service>:<environment> (the open incidents of its deployments, by open time)
 *       10.. alert:<service>:<environment>:<firing> of each firing the write counts anew
 * ARGV: 1 expected revision ('' = must not exist)  2 expected audit length  3 incident JSON  4 id  5 openedAt
 *       6 revision after  7 effects JSON ('' = none)  8 outbox MAXLEN
 *       9 scope link ('' | 'set' | 'clear' | 'link': set, coming from incsvc)
 *       10 the new incident's number ('' = not numbered)  11 audit head JSON after the records ('' = no records)
 *       12 seconds an alert mark is kept  13.. audit records JSON
 */
export const INCIDENT_COMMIT_SCRIPT: LuaScript = {
  name: 'preflightIncidentCommit',
  keys: 9,
  moreKeys: true,
  lua: `
for i = 10, #KEYS do
  if redis.call('GET', KEYS[i]) == 'resolved' then return 'resolved' end
end
local stored = redis.call('GET', KEYS[1])
local number = tonumber(ARGV[10])
if ARGV[1] == '' then
  local taken = tonumber(redis.call('GET', KEYS[6]) or '0')
  if stored then
    -- An incident numbered past the sequence (older data): move it on, or every open would ask for this number.
    if number and number > taken then redis.call('SET', KEYS[6], number) end
    return 'conflict'
  end
  if ARGV[9] == 'set' then
    local open = redis.call('GET', KEYS[5])
    if open and open ~= ARGV[4] then return 'exists:' .. open end
    if KEYS[5] ~= KEYS[8] then
      open = redis.call('GET', KEYS[8])
    else
      open = redis.call('ZREVRANGE', KEYS[9], 0, 0)[1]
    end
    if open and open ~= ARGV[4] then return 'exists:' .. open end
  end
  if number and number <= taken then return 'conflict' end
  if number then redis.call('SET', KEYS[6], number) end
else
  if not stored then return 'conflict' end
  if tostring(cjson.decode(stored).revision) ~= ARGV[1] then return 'conflict' end
  if ARGV[9] == 'link' then
    local open = redis.call('GET', KEYS[5])
    if open and open ~= ARGV[4] then return 'exists:' .. open end
  end
end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then return 'conflict' end
redis.call('SET', KEYS[1], ARGV[3])
for i = 13, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
for i = 10, #KEYS do
  if redis.call('SET', KEYS[i], 'counted', 'NX', 'EX', ARGV[12]) == false then redis.call('EXPIRE', KEYS[i], ARGV[12]) end
end
if ARGV[11] ~= '' then redis.call('SET', KEYS[7], ARGV[11]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
if ARGV[7] ~= '' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', 'incident', ARGV[4], 'revision', ARGV[6], 'effects', ARGV[7])
end
if ARGV[9] == 'set' or ARGV[9] == 'link' then
  redis.call('SET', KEYS[5], ARGV[4])
  if KEYS[5] ~= KEYS[8] then redis.call('ZADD', KEYS[9], ARGV[5], ARGV[4]) end
end
if ARGV[9] == 'clear' then
  if redis.call('GET', KEYS[5]) == ARGV[4] then redis.call('DEL', KEYS[5]) end
  redis.call('ZREM', KEYS[9], ARGV[4])
end
if ARGV[9] ~= 'set' and redis.call('GET', KEYS[8]) == ARGV[4] then redis.call('DEL', KEYS[8]) end
return 'committed'
`,
};
