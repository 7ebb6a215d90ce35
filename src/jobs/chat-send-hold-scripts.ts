/**
 * Lua scripts of the chat send queue that keep an item after a send that did not go through (chat-send-scripts.ts
 * has the rest): held for a while (DEFER), in doubt (PARK), or refused by the channel (REFUSE).
 */
import { DOUBT_FIELD, PICK_LUA, REFUSED_FIELD } from './chat-send-pick.ts';
import { type ChatScript, NOW, STATE_TTL_MS } from './chat-send-scripts.ts';

/**
 * Keeps the head and holds the channel: no send before now + hold ms. A refresh head is marked queued again,
 * so refreshes arriving meanwhile coalesce into it.
 * KEYS: queue, state, refreshes. ARGV: head, hold ms, count as failed attempt (0|1), refresh key or ''.
 */
export const DEFER: ChatScript = {
  name: 'preflightChatDefer',
  keys: 3,
  lua: `
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
${NOW}
redis.call('HSET', KEYS[2], 'hold', string.format('%.0f', now + tonumber(ARGV[2]) * 1000))
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'attempts', 1) end
if ARGV[4] ~= '' then redis.call('SADD', KEYS[3], ARGV[4]) end
return 1
`,
};

/**
 * Keeps a post in doubt (it may have gone out; its lookup failed) and lets the channel go on: it is not picked
 * again before now + hold ms, and the items merged into the attempt ride with it (chat-send-pick.ts). Its failed
 * tries are its own, so the channel's next head starts afresh. KEYS: queue, state. ARGV: head, hold ms, merged
 * items. 1 = kept.
 */
export const PARK: ChatScript = {
  name: 'preflightChatPark',
  keys: 2,
  lua: `
${PICK_LUA}
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
${NOW}
local field = '${DOUBT_FIELD}' .. (itemId(ARGV[1]) or '')
local tries = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
local ok, before = pcall(cjson.decode, redis.call('HGET', KEYS[2], field) or '')
if ok and type(before) == 'table' then tries = math.max(tries, tonumber(before.tries) or 0) end
local with = {}
for i = 3, #ARGV do
  local id = itemId(ARGV[i])
  if id then with[#with + 1] = id end
end
local record = {tries = tries + 1, with = with}
-- A string: cjson would round a µs time to 14 digits.
record['until'] = string.format('%.0f', now + tonumber(ARGV[2]) * 1000)
redis.call('HSET', KEYS[2], field, cjson.encode(record))
redis.call('HDEL', KEYS[2], 'attempts')
redis.call('PEXPIRE', KEYS[2], ${STATE_TTL_MS})
return 1
`,
};

/**
 * Keeps an item the channel refused, and shuts its thread (chat-send-pick.ts) for a wait that doubles with each
 * refusal in a row, from the first wait up to the longest (none when a prompt was queued in the thread during the
 * attempt: ENQUEUE); the rest of the channel goes on. A thread refused again after a post of the channel went
 * through (COMPLETE made it due) is refused on its own (`alone`, say a thread Preflight may not post in while the
 * channel takes its posts): from then on only its own wait or a prompt makes it due, not every post of the
 * channel, so it never takes a turn of the channel's pace after each of them. A refresh head is marked
 * queued again, so later refreshes coalesce into it. The head's failed tries are not the channel's next head's.
 * KEYS: queue, state, refreshes. ARGV: head, thread, first wait ms, longest wait ms, refresh key or ''.
 * Returns the wait (ms), or -1 when the head is no longer queued.
 */
export const REFUSE: ChatScript = {
  name: 'preflightChatRefuse',
  keys: 3,
  lua: `
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return -1 end
${NOW}
local field = '${REFUSED_FIELD}' .. ARGV[2]
local tries, poked, alone = 0, false, false
local ok, before = pcall(cjson.decode, redis.call('HGET', KEYS[2], field) or '')
if ok and type(before) == 'table' then
  tries, poked = tonumber(before.tries) or 0, before.poked == true
  -- Refused again after a post of the channel went through: the channel refuses this thread alone.
  alone = before.alone == true or before.afterSent == true
end
local waitMs = 0
if not poked then waitMs = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(tries, 30)) end
local record = {tries = tries + 1}
if alone then record.alone = true end
-- A string: cjson would round a µs time to 14 digits.
record['until'] = string.format('%.0f', now + waitMs * 1000)
redis.call('HSET', KEYS[2], field, cjson.encode(record))
redis.call('HDEL', KEYS[2], 'attempts')
if ARGV[5] ~= '' then redis.call('SADD', KEYS[3], ARGV[5]) end
redis.call('PEXPIRE', KEYS[2], ${STATE_TTL_MS})
return math.floor(waitMs)
`,
};
