/**
 * The indexes of a channel's send queue that let an urgent post be found wherever it sits in a long queue (after an
 * outage, hundreds of informational posts may be queued ahead of a gate prompt): a LIST of the queued urgent posts
 * and, per thread, a LIST of its queued posts, both in arrival order. ENQUEUE adds to them and COMPLETE removes
 * from them in the same scripts as the queue itself, so they never disagree with it.
 *
 * CLAIM's pick (chat-send-pick.ts) reads the first PICK_WINDOW items of the queue; the urgent posts beyond it are
 * added after them, each preceded by the posts of its thread queued before it (so a thread keeps its order).
 * Those added items are candidates only for the urgent rule: what goes when nothing urgent can is still the oldest
 * item of the window.
 */
import { PICK_WINDOW } from './chat-send-pick.ts';

/** How many urgent posts beyond the window the pick considers. */
export const URGENT_LOOK = 50;

/**
 * Lua (after PICK_LUA, which defines `header`): `indexAdd(raw, urgentKey, threadPrefix)`,
 * `indexRemove(raw, urgentKey, threadPrefix)`, `rebuildIndex(queueKey, stateKey, urgentKey, threadPrefix, ttlMs)` (once
 * per channel, marked by the state hash's `indexed` field), and `extendWindow(window, urgentKey, threadPrefix)` →
 * the window with the urgent posts beyond it (and their threads' earlier posts) appended.
 */
export const INDEX_LUA = `
local function indexAdd(raw, urgentKey, threadPrefix)
  local h = header(raw)
  if h.kind ~= 'post' then return end
  if h.urgent == true then redis.call('RPUSH', urgentKey, raw) end
  if type(h.thread) == 'string' then redis.call('RPUSH', threadPrefix .. h.thread, raw) end
end
local function indexRemove(raw, urgentKey, threadPrefix)
  local h = header(raw)
  if h.kind ~= 'post' then return end
  if h.urgent == true then redis.call('LREM', urgentKey, 1, raw) end
  if type(h.thread) == 'string' then redis.call('LREM', threadPrefix .. h.thread, 1, raw) end
end
local function rebuildIndex(queueKey, stateKey, urgentKey, threadPrefix, ttlMs)
  if redis.call('HEXISTS', stateKey, 'indexed') == 1 then return end
  -- A queue written before the indexes were kept (or whose state expired): index it once, from scratch.
  local items = redis.call('LRANGE', queueKey, 0, -1)
  local cleared = {}
  redis.call('DEL', urgentKey)
  for _, raw in ipairs(items) do
    local thread = header(raw).thread
    if type(thread) == 'string' and not cleared[thread] then
      cleared[thread] = true
      redis.call('DEL', threadPrefix .. thread)
    end
  end
  for _, raw in ipairs(items) do indexAdd(raw, urgentKey, threadPrefix) end
  redis.call('HSET', stateKey, 'indexed', '1')
  redis.call('PEXPIRE', stateKey, ttlMs)
end
local function extendWindow(window, urgentKey, threadPrefix)
  local seen = {}
  for _, raw in ipairs(window) do seen[raw] = true end
  for _, u in ipairs(redis.call('LRANGE', urgentKey, 0, ${URGENT_LOOK - 1})) do
    if not seen[u] then
      local thread = header(u).thread
      local before = {}
      if type(thread) == 'string' then
        local key = threadPrefix .. thread
        -- A thread with more than a window of posts ahead of it waits its turn like the rest.
        local at = redis.call('LPOS', key, u, 'MAXLEN', ${PICK_WINDOW})
        before = at and (at > 0 and redis.call('LRANGE', key, 0, at - 1) or {}) or nil
      end
      if before then
        for _, raw in ipairs(before) do
          if not seen[raw] then
            seen[raw] = true
            window[#window + 1] = raw
          end
        end
        seen[u] = true
        window[#window + 1] = u
      end
    end
  end
  return window
end
`;
