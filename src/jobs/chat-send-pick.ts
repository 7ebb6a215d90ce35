/**
 * Which queued item of a channel goes next (Lua, run inside CLAIM). Items keep arrival order in the list; the
 * pick looks at the first PICK_WINDOW of them, among those whose clock is ready (posts and edits are paced on
 * separate clocks, chat-send-scripts.ts): the first urgent item (a prompt someone must act on) goes before
 * informational ones of other threads, once the posts queued before it in its own thread (its status message,
 * step results) have gone, so a thread keeps its order; otherwise the oldest goes. A refresh never overtakes the
 * queued post of its own message (there is nothing to edit yet). Later
 * mergeable posts of the same thread (step results) join a mergeable head, up to MAX_MERGED in one message, until
 * a post of that thread that cannot merge. Each item's JSON starts with its header (chat-send-store.ts), so only
 * the part before `"payload"` is decoded.
 */

/** How many queued items the pick looks at. */
export const PICK_WINDOW = 200;
/** Most items sent as one message (the sender moves text past the platform's limit into a file). */
export const MAX_MERGED = 25;

/**
 * Defines `header(raw)`, `itemKind(raw)`, `itemKey(raw)` and `pick(window, canPost, canEdit)` → the items to
 * send, in order, or an empty list and whether a post and whether an edit are waiting for their clock.
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
local function pick(window, canPost, canEdit)
  local heads = {}
  local posts = {}
  local chosen, firstPost, firstEdit
  for i, raw in ipairs(window) do
    local h = header(raw)
    heads[i] = h
    if h.kind == 'refresh' then
      if not firstEdit and not posts[h.key] then firstEdit = i end
    else
      if h.key ~= nil then posts[h.key] = true end
      firstPost = firstPost or i
      if canPost and h.urgent == true then
        chosen = i
        if type(h.thread) == 'string' then
          for j = 1, i - 1 do
            if heads[j].kind == 'post' and heads[j].thread == h.thread then chosen = j break end
          end
        end
        break
      end
    end
  end
  if not chosen then
    local p = canPost and firstPost or nil
    local e = canEdit and firstEdit or nil
    if p and e then chosen = math.min(p, e) else chosen = p or e end
  end
  if not chosen then return {}, firstPost ~= nil, firstEdit ~= nil end
  local first = heads[chosen]
  local taken = {window[chosen]}
  if first.merge == true and type(first.thread) == 'string' then
    for j = chosen + 1, #window do
      if #taken >= ${MAX_MERGED} then break end
      local h = heads[j] or header(window[j])
      heads[j] = h
      if h.thread == first.thread and h.kind == 'post' then
        if h.merge ~= true then break end
        taken[#taken + 1] = window[j]
      end
    end
  end
  return taken
end
`;
