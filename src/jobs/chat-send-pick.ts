/**
 * Which queued item of a channel goes next (Lua, run inside CLAIM). Items keep arrival order in the list; the
 * pick looks at the first PICK_WINDOW of them and at the urgent ones beyond (chat-send-index.ts), among those
 * whose clock is ready (posts and edits are paced on
 * separate clocks, chat-send-scripts.ts): the first urgent item (a prompt someone must act on) goes before
 * informational ones of other threads, once the posts queued before it in its own thread (its status message,
 * step results) have gone, so a thread keeps its order; otherwise the oldest goes. A refresh never overtakes the
 * queued post of its own message (there is nothing to edit yet). Later
 * mergeable posts of the same thread (step results) join a mergeable head, up to MAX_MERGED in one message, until
 * a post of that thread that cannot merge. Each item's JSON starts with its header (chat-send-store.ts), so only
 * the part before `"payload"` is decoded.
 *
 * An attempt of a mergeable post may go out whatever it answers (cut off, timed out, 5xx), and the retry's lookup
 * then finds that first post: so CLAIM records the set a mergeable head first goes out with (a `doubt:` record
 * whose wait is already over), every later try carries exactly that set, and what arrived meanwhile waits for a
 * later post. Otherwise step results merged into a retry would be settled by a post that never showed them.
 *
 * A post in doubt (tried before, may have gone out, and its lookup failed: SendOutcome `unsure`) stays queued,
 * never sent blind, and is looked up again when its own wait ends (PARK); meanwhile it holds up only what needs
 * it, never the rest of the channel:
 * - the posts merged into its uncertain attempt ride with it: they go (or are found) with it, in that same set;
 * - refreshes of it (there is nothing known to edit);
 * - when it is a thread's root (status message, incident), the later posts of its thread, which are replies
 *   under it.
 * Everything else goes on as if it were not there: other threads, urgent or not, and the other replies of its
 * thread when it is a reply itself (if it did go out, it is already in its place; if not, it shows up later).
 *
 * A thread the channel refused (SendOutcome `refused`: Preflight was removed from the channel, a permission is
 * missing) is shut until its `refused:` record's wait ends: none of its items, posts or edits, is picked meanwhile,
 * so when the channel lets Preflight in again the thread goes out in the order it was queued, first message first.
 * The rest of the channel goes on.
 */

/** How many queued items the pick looks at, besides the urgent ones beyond them (chat-send-index.ts). */
export const PICK_WINDOW = 200;
/**
 * How far the pick looks when every item of the window is held back (a refused thread or posts in doubt piled up
 * ahead of the rest of the channel): the window grows fourfold up to this.
 */
export const PICK_WINDOW_MAX = 3200;
/**
 * Most items sent as one message: a 50-step deployment's results in one reply, not two a second apart ahead of
 * its report. The merge keeps a post within the platform's limits (past its text budget, the first line of each
 * result stays in the message and all of it goes into a file).
 */
export const MAX_MERGED = 50;

/**
 * Prefix of the state hash fields of posts tried and not yet settled: `doubt:<item id>` → {until (µs; '0' while
 * it is not parked), tries, with (ids of the items merged into its first attempt)}.
 */
export const DOUBT_FIELD = 'doubt:';

/**
 * Prefix of the state hash fields of threads the channel refused: `refused:<thread>` → {until (µs), tries, poked (a
 * prompt was queued in it since), afterSent (made due by a post of the channel that went out), alone (refused
 * again after that: the channel refuses this thread alone)}; removed when an item of the thread goes out, and made
 * due at once when any post of the channel does (unless it is refused alone) or a prompt is queued in the thread
 * (REFUSE, COMPLETE, ENQUEUE).
 */
export const REFUSED_FIELD = 'refused:';

/**
 * Defines `header(raw)`, `itemKind(raw)`, `itemKey(raw)`, `itemId(raw)` and
 * `pick(window, canPost, canEdit, doubts, shut, now, added)` → the items to send, in order, or an empty list,
 * whether a post and whether an edit are waiting for their clock, and when the first item held back (a post in
 * doubt, a refused thread) may go again (µs, or nil). `doubts` maps item ids to their doubt record; `shut` maps
 * refused threads to when they may be tried again (µs); the items from index `added` on come from beyond the
 * window (urgent posts and their threads' earlier posts, chat-send-index.ts): only the urgent rule picks them.
 */
export const PICK_LUA = `
local function header(raw)
  local cut = string.find(raw, ',"payload":', 1, true)
  local text = raw
  if cut then text = string.sub(raw, 1, cut - 1) .. '}' end
  local ok, h = pcall(cjson.decode, text)
  if ok and type(h) == 'table' then return h end
  return {}
end
local function itemKind(raw) return header(raw).kind end
local function itemKey(raw) return header(raw).key end
local function itemId(raw) return header(raw).id end
local function pick(window, canPost, canEdit, doubts, shut, now, added)
  added = added or math.huge
  local heads = {}
  local posts = {}
  local riding = {}
  local rootless = {}
  local chosen, firstPost, firstEdit, heldUntil
  for _, d in pairs(doubts) do
    for _, id in ipairs(d.with or {}) do riding[id] = true end
  end
  local function shutUntil(h)
    local due = type(h.thread) == 'string' and shut[h.thread] or 0
    if due <= now then return nil end
    heldUntil = math.min(heldUntil or math.huge, due)
    return due
  end
  for i, raw in ipairs(window) do
    local h = header(raw)
    heads[i] = h
    if h.kind == 'refresh' then
      if not firstEdit and not posts[h.key] and not shutUntil(h) then firstEdit = i end
    else
      if h.key ~= nil then posts[h.key] = true end
      local threaded = type(h.thread) == 'string'
      local d = h.id ~= nil and doubts[h.id] or nil
      h.held = riding[h.id] == true or (threaded and rootless[h.thread] == true) or shutUntil(h) ~= nil
      local due = d and tonumber(d['until']) or 0
      if due > now then
        h.held = true
        heldUntil = math.min(heldUntil or math.huge, due)
        if h.root == true and threaded then rootless[h.thread] = true end
      end
      if not h.held then
        if i < added then firstPost = firstPost or i end
        if canPost and h.urgent == true then
          chosen = i
          if threaded then
            for j = 1, i - 1 do
              local e = heads[j]
              if e.kind == 'post' and e.thread == h.thread and not e.held then chosen = j break end
            end
          end
          break
        end
      end
    end
  end
  if not chosen then
    local p = canPost and firstPost or nil
    local e = canEdit and firstEdit or nil
    if p and e then chosen = math.min(p, e) else chosen = p or e end
  end
  if not chosen then return {}, firstPost ~= nil, firstEdit ~= nil, heldUntil end
  local first = heads[chosen]
  local taken = {window[chosen]}
  local d = first.id ~= nil and doubts[first.id] or nil
  if d then
    local with = {}
    for _, id in ipairs(d.with or {}) do with[id] = true end
    for j = chosen + 1, #window do
      local h = heads[j] or header(window[j])
      if with[h.id] then taken[#taken + 1] = window[j] end
    end
  elseif first.merge == true and type(first.thread) == 'string' then
    for j = chosen + 1, #window do
      if #taken >= ${MAX_MERGED} then break end
      local h = heads[j] or header(window[j])
      heads[j] = h
      if h.thread == first.thread and h.kind == 'post' and not riding[h.id] and not doubts[h.id] then
        if h.merge ~= true then break end
        taken[#taken + 1] = window[j]
      end
    end
  end
  return taken
end
`;
