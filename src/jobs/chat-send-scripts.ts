/**
 * Lua scripts of the chat send queue (its keys: chat-send-keys.ts). Every check-then-write is one script, so
 * producers and the processes draining a channel never interleave. Times are Redis's own clock (TIME, in µs), so
 * hosts with skewed clocks still agree on the gap between sends.
 */
import { INDEX_LUA } from './chat-send-index.ts';
import { DOUBT_FIELD, PICK_LUA, PICK_WINDOW, PICK_WINDOW_MAX, REFUSED_FIELD } from './chat-send-pick.ts';

/**
 * Posts and edits are paced on separate clocks (fields of the state hash): Slack limits posting to about one
 * message a second per channel (chat.postMessage, special tier), while chat.update is its own method (Tier 3, 50+
 * a minute per workspace); Discord puts POST and PATCH of channel messages in separate route buckets. So an edit
 * of the status message never takes a post's turn. Edits keep the same minimum interval on their own clock:
 * coalescing leaves few of them, and Tier 3 is counted per workspace, not per channel, so when many channels edit
 * at once Slack's 429 Retry-After is what paces them. A 429 or 5xx on either holds the whole channel (`hold`).
 */
export const SEND_CLOCK = { post: 'last', refresh: 'lastEdit' } as const;

export interface ChatScript {
  readonly name: string;
  readonly keys: number;
  readonly lua: string;
}

export const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])`;
export const STATE_TTL_MS = 7 * 24 * 3600 * 1000;

/** State field: the clock of the kind being sent as it was before its turn was taken (CLAIM). */
const TURN_BEFORE = 'turnBefore';

/** Lua: the clock `field` of the channel (in the state hash `stateKey`) moves forward to now, never back. */
const moveClockToNow = (stateKey: string, field: string) => `${NOW}
local last = tonumber(redis.call('HGET', ${stateKey}, ${field}) or '0')
if now > last then redis.call('HSET', ${stateKey}, ${field}, string.format('%.0f', now)) end`;

/** Lua: the state field of the clock of a delivery kind (`kind` a Lua expression); unknown kinds pace as posts. */
const clockField = (kind: string) =>
  `(${kind} == 'refresh' and '${SEND_CLOCK.refresh}' or '${SEND_CLOCK.post}')`;

/**
 * Prefix of the state hash fields that name, per `supersedes` group of posts (ChatDelivery.supersedes), the last
 * one queued: `latest:<group>` → the item. Removed when that item is settled (COMPLETE).
 */
export const LATEST_FIELD = 'latest:';

/**
 * KEYS: queue, channels, refreshes, posted, state, urgent. ARGV: item, kind, key, channel, dedupe ttl s, wake
 * channel, the thread of an urgent post or '', thread prefix, the post's `supersedes` group or ''. 1 = queued; a
 * post is added to the urgent and thread indexes too (chat-send-index.ts). A post with a group takes the place of
 * the group's post still queued, which is removed with everything kept for it (indexes, its doubt record, its
 * failed tries): an attempt of it already under way finishes, and its outcome finds nothing left to settle.
 * The refreshes SET holds the keys of queued refreshes and `post:<key>` for queued posts never handed out yet.
 * An urgent post (a prompt, a page) queued in a thread the channel refused makes it due now: it is tried at once
 * (first message first), so a fixed channel shows it without waiting, and a page still refused goes directly.
 */
export const ENQUEUE: ChatScript = {
  name: 'preflightChatEnqueue',
  keys: 6,
  lua: `
${PICK_LUA}
${INDEX_LUA}
if ARGV[2] == 'refresh' then
  -- An unsent post of the same message renders the latest state when it goes out: no edit needed.
  if redis.call('SISMEMBER', KEYS[3], 'post:' .. ARGV[3]) == 1 then return 0 end
  if redis.call('SADD', KEYS[3], ARGV[3]) == 0 then return 0 end
elseif not redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[5]) then
  return 0
else
  redis.call('SADD', KEYS[3], 'post:' .. ARGV[3])
end
if ARGV[9] ~= '' then
  local field = '${LATEST_FIELD}' .. ARGV[9]
  local before = redis.call('HGET', KEYS[5], field)
  if before and redis.call('LREM', KEYS[1], 1, before) > 0 then
    indexRemove(before, KEYS[6], ARGV[8])
    redis.call('SREM', KEYS[3], 'post:' .. (itemKey(before) or ''))
    -- Its failed tries go with it: the post taking its place starts with a backoff of its own.
    redis.call('HDEL', KEYS[5], '${DOUBT_FIELD}' .. (itemId(before) or ''), 'attempts')
  end
  redis.call('HSET', KEYS[5], field, ARGV[1])
  redis.call('PEXPIRE', KEYS[5], ${STATE_TTL_MS})
end
redis.call('RPUSH', KEYS[1], ARGV[1])
indexAdd(ARGV[1], KEYS[6], ARGV[8])
redis.call('SADD', KEYS[2], ARGV[4])
if ARGV[7] ~= '' then
  -- Due now; and should an attempt of the thread be under way, its refusal waits no longer (REFUSE).
  local field = '${REFUSED_FIELD}' .. ARGV[7]
  local ok, r = pcall(cjson.decode, redis.call('HGET', KEYS[5], field) or '')
  if not ok or type(r) ~= 'table' then r = {tries = 0} end
  r['until'] = '0'
  r.poked = true
  redis.call('HSET', KEYS[5], field, cjson.encode(r))
end
-- The kind goes with the channel: a loop waiting for that kind's clock need not look before it.
redis.call('PUBLISH', ARGV[6], ARGV[4] .. '\\n' .. ARGV[2])
return 1
`,
};

/**
 * Lua: `doubts`, the records of the channel's posts in doubt by item id, and `shut`, until when (µs) each thread the
 * channel refused waits (state hash KEYS[4]).
 */
const READ_HELD = `local doubts, shut = {}, {}
do
  local fields = redis.call('HGETALL', KEYS[4])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, ${DOUBT_FIELD.length}) == '${DOUBT_FIELD}' then
      local ok, d = pcall(cjson.decode, fields[i + 1])
      if ok and type(d) == 'table' then doubts[string.sub(fields[i], ${DOUBT_FIELD.length + 1})] = d end
    elseif string.sub(fields[i], 1, ${REFUSED_FIELD.length}) == '${REFUSED_FIELD}' then
      local ok, r = pcall(cjson.decode, fields[i + 1])
      if ok and type(r) == 'table' then
        shut[string.sub(fields[i], ${REFUSED_FIELD.length + 1})] = tonumber(r['until']) or 0
      end
    end
  end
end`;

/**
 * Takes or keeps the lease and, when the channel may send now, hands out the next item (chat-send-pick.ts): what
 * a person must act on before other threads' informational messages, with mergeable posts of its thread after it.
 * Only items whose clock (SEND_CLOCK) is ready are candidates, and posts in doubt and threads the channel refused
 * only once their own wait is over; when all of the window is held back so, the pick looks at a longer window (up
 * to PICK_WINDOW_MAX), so a refused thread that piled up never holds up the rest of the channel. With none, it
 * waits for the nearer clock or the end of the nearest such wait.
 * A mergeable head handed
 * out for the first time has the set it goes with recorded: whatever this attempt answers, it may have gone out,
 * so its retries carry that same set.
 * KEYS: queue, channels, lease, state, refreshes, urgent. ARGV: owner, lease ms, min interval ms, channel, thread
 * prefix.
 * Returns {'busy'} | {'empty'} (lease released, channel unlisted) | {'wait', ms, ms until the post clock, ms until
 * the edit clock} | {'go', head, attempts, ...merged}.
 */
export const CLAIM: ChatScript = {
  name: 'preflightChatClaim',
  keys: 6,
  lua: `
local owner = redis.call('GET', KEYS[3])
if owner and owner ~= ARGV[1] then return {'busy'} end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[4])
  redis.call('DEL', KEYS[3], KEYS[5], KEYS[6])
  return {'empty'}
end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
${NOW}
local hold = tonumber(redis.call('HGET', KEYS[4], 'hold') or '0')
local function readyAt(field)
  local last = tonumber(redis.call('HGET', KEYS[4], field) or '0')
  return math.max(last + tonumber(ARGV[3]) * 1000, hold)
end
local postReady, editReady = readyAt('${SEND_CLOCK.post}'), readyAt('${SEND_CLOCK.refresh}')
${PICK_LUA}
${INDEX_LUA}
${READ_HELD}
rebuildIndex(KEYS[1], KEYS[4], KEYS[6], ARGV[5], ${STATE_TTL_MS})
local size, taken, postWaits, editWaits, heldUntil = ${PICK_WINDOW}, nil, nil, nil, nil
while true do
  local window = redis.call('LRANGE', KEYS[1], 0, size - 1)
  local full = #window >= size
  local added = #window + 1
  if full then window = extendWindow(window, KEYS[6], ARGV[5]) end
  taken, postWaits, editWaits, heldUntil = pick(
    window, now >= postReady, now >= editReady, doubts, shut, now, added)
  -- Everything in the window held back (a refused thread piled up, posts in doubt): look further.
  if #taken > 0 or postWaits or editWaits or not full or size >= ${PICK_WINDOW_MAX} then break end
  size = size * 4
end
if #taken == 0 then
  local ready = math.huge
  if postWaits then ready = math.min(ready, postReady) end
  if editWaits then ready = math.min(ready, editReady) end
  if heldUntil then ready = math.min(ready, math.max(heldUntil, math.min(postReady, editReady))) end
  if ready == math.huge then ready = now + 1000 end
  -- Before its kind's clock no item, however new, can go: a loop woken earlier by one need not ask again.
  return {'wait', math.max(1, math.ceil((ready - now) / 1000)),
    math.max(0, math.floor((postReady - now) / 1000)), math.max(0, math.floor((editReady - now) / 1000))}
end
local clock = ${clockField('itemKind(taken[1])')}
-- What the clock said before this turn, given back if the head turns out not to need the platform (COMPLETE).
redis.call('HSET', KEYS[4], '${TURN_BEFORE}', redis.call('HGET', KEYS[4], clock) or '0')
redis.call('HSET', KEYS[4], clock, string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[4], ${STATE_TTL_MS})
for _, raw in ipairs(taken) do
  local kind, key = itemKind(raw), itemKey(raw)
  if kind == 'refresh' then redis.call('SREM', KEYS[5], key) end
  if kind == 'post' then redis.call('SREM', KEYS[5], 'post:' .. key) end
end
local attempts = tonumber(redis.call('HGET', KEYS[4], 'attempts') or '0')
local doubt = doubts[itemId(taken[1]) or '']
local first = header(taken[1])
if not doubt and first.kind == 'post' and first.merge == true and first.id ~= nil then
  -- This attempt may go out whatever it answers: until it is settled, every try carries this very set.
  local with = {}
  for i = 2, #taken do with[#with + 1] = itemId(taken[i]) end
  local record = {tries = 0, with = with}
  record['until'] = '0'
  redis.call('HSET', KEYS[4], '${DOUBT_FIELD}' .. first.id, cjson.encode(record))
end
if doubt then attempts = math.max(attempts, tonumber(doubt.tries) or 0) end
local reply = {'go', taken[1], string.format('%d', attempts)}
for i = 2, #taken do reply[#reply + 1] = taken[i] end
return reply
`,
};

/** Moves the clock of the kind being sent to now (called as the send begins). KEYS: state. ARGV: kind. */
export const MARK_SENDING: ChatScript = {
  name: 'preflightChatMarkSending',
  keys: 1,
  lua: `
${moveClockToNow('KEYS[1]', clockField('ARGV[1]'))}
return 1
`,
};

/**
 * Removes the sent items (the head and what was merged into it) after sent/drop, and moves the clock of the
 * head's kind to now: the platform has answered, so the request has arrived, and the next one of its kind in
 * this channel cannot reach it sooner than the minimum interval after it, however slow this request was on the
 * way. The head's thread is no longer shut as refused; and when a post went out, the channel takes posts again,
 * so every thread it refused is tried now rather than at the end of its wait (its tries kept, so a thread still
 * refused waits as long as before), except a thread it refuses on its own (REFUSE: `alone`). 'untried' (dropped
 * without asking the platform: a reply to a thread known to take no more posts) gives the clock back as it was
 * before the head's turn, so the next message does not wait for a request that was never made.
 * KEYS: queue, state, urgent. ARGV: kind of the head, head, 'sent', 'drop' or 'untried', thread prefix, merged
 * items. 1 = removed.
 */
export const COMPLETE: ChatScript = {
  name: 'preflightChatComplete',
  keys: 3,
  lua: `
${PICK_LUA}
${INDEX_LUA}
if redis.call('LREM', KEYS[1], 1, ARGV[2]) == 0 then return 0 end
indexRemove(ARGV[2], KEYS[3], ARGV[4])
for i = 5, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) > 0 then indexRemove(ARGV[i], KEYS[3], ARGV[4]) end
end
redis.call('HDEL', KEYS[2], 'attempts', 'hold', '${DOUBT_FIELD}' .. (itemId(ARGV[2]) or ''))
local group = header(ARGV[2]).supersedes
if type(group) == 'string' and redis.call('HGET', KEYS[2], '${LATEST_FIELD}' .. group) == ARGV[2] then
  redis.call('HDEL', KEYS[2], '${LATEST_FIELD}' .. group)
end
local thread = header(ARGV[2]).thread
if type(thread) == 'string' then redis.call('HDEL', KEYS[2], '${REFUSED_FIELD}' .. thread) end
if ARGV[3] == 'sent' and ARGV[1] == 'post' then
  local fields = redis.call('HGETALL', KEYS[2])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, ${REFUSED_FIELD.length}) == '${REFUSED_FIELD}' then
      local ok, r = pcall(cjson.decode, fields[i + 1])
      if ok and type(r) == 'table' and r.alone ~= true then
        r['until'] = '0'
        r.afterSent = true
        redis.call('HSET', KEYS[2], fields[i], cjson.encode(r))
      end
    end
  end
end
if ARGV[3] == 'untried' then
  redis.call('HSET', KEYS[2], ${clockField('ARGV[1]')}, redis.call('HGET', KEYS[2], '${TURN_BEFORE}') or '0')
else
${moveClockToNow('KEYS[2]', clockField('ARGV[1]'))}
end
redis.call('PEXPIRE', KEYS[2], ${STATE_TTL_MS})
return 1
`,
};

/** KEYS: lease. ARGV: owner, lease ms. 1 = still ours. */
export const RENEW_LEASE: ChatScript = {
  name: 'preflightChatRenewLease',
  keys: 1,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
};

/** Gives the channel up; if items remain, announces it so another process takes over at once. KEYS: lease, queue. ARGV: owner, channel, wake channel. */
export const RELEASE_LEASE: ChatScript = {
  name: 'preflightChatReleaseLease',
  keys: 2,
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('LLEN', KEYS[2]) > 0 then redis.call('PUBLISH', ARGV[3], ARGV[2]) end
return 1
`,
};
