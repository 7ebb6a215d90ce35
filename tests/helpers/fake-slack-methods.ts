/** The Web API methods the fake Slack answers, over one workspace's channels and messages (see fake-slack-api.ts). */
export const BOT_USER_ID = 'U0PREFLIGHT';
export const DEPLOY_CHANNEL = 'C0DEPLOY1';
export const INCIDENT_CHANNEL = 'C0INCIDNT1';
export const WORKSPACE_URL = 'https://example.slack.com/';

/** A message's permalink as Slack makes it: the workspace, the channel, `p` and the ts without its dot. */
export const permalinkOf = (channel: string, ts: string): string =>
  `${WORKSPACE_URL}archives/${channel}/p${ts.replace('.', '')}`;

/** A message as the fake workspace holds it (edits replace text and blocks). */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  text: string;
  blocks: unknown[];
  updates: number;
  /** The bot's own reactions (reactions.add). */
  reactions: string[];
  /** People's reactions, as Slack keeps them whether or not the bot heard of them: emoji name → user ids. */
  reactedBy: Record<string, string[]>;
  /** `metadata` as posted: `{ event_type, event_payload }`. */
  readonly metadata?: { readonly event_type: string; readonly event_payload: Record<string, unknown> };
}

export type SlackMethod = (params: Record<string, unknown>) => Record<string, unknown>;

interface ChannelInfo {
  readonly id: string;
  readonly name: string;
  readonly isPrivate: boolean;
  member: boolean;
}

/** The workspace: a few channels (Preflight is in none of the runbook's yet), the messages posted, the methods. */
export function createSlackWorkspace(
  base: () => string,
  extraChannels: readonly string[] = [],
): {
  methods: Record<string, SlackMethod>;
  messages: FakeMessage[];
  /** Messages removed by chat.delete. */
  deleted: FakeMessage[];
  find(channel: string, ts: string): FakeMessage | undefined;
} {
  const channels: ChannelInfo[] = [
    { id: 'C0GENERAL1', name: 'general', isPrivate: false, member: true },
    { id: 'C0RANDOM01', name: 'random', isPrivate: false, member: false },
    { id: DEPLOY_CHANNEL, name: 'deployments', isPrivate: false, member: false },
    { id: 'C0SECRET01', name: 'secret-ops', isPrivate: true, member: true },
    { id: INCIDENT_CHANNEL, name: 'incident-response', isPrivate: false, member: false },
    ...extraChannels.map((name, i) => ({
      id: `C0EXTRA${String(i).padStart(3, '0')}`,
      name,
      isPrivate: false,
      member: false,
    })),
  ];
  const messages: FakeMessage[] = [];
  const deleted: FakeMessage[] = [];
  let counter = 0;
  // Slack's ts: the posting time in seconds, unique per channel; ours stay unique and increasing workspace-wide.
  let lastMicros = 0;
  const nextTs = () => {
    lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  const find = (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts);
  const postable = (id: string) =>
    id.startsWith('D') ? undefined : (channels.find((c) => c.id === id) ?? null);

  const methods: Record<string, SlackMethod> = {
    'auth.test': () => ({
      url: WORKSPACE_URL,
      team: 'Example',
      user: 'preflight',
      team_id: 'T0001',
      user_id: BOT_USER_ID,
      bot_id: 'B0PREFLIGHT',
    }),
    'chat.postMessage': (p) => {
      const channel = String(p.channel);
      const info = postable(channel);
      if (info === null) return { ok: false, error: 'channel_not_found' };
      if (info && !info.member) return { ok: false, error: 'not_in_channel' };
      const ts = nextTs();
      const thread = typeof p.thread_ts === 'string' ? p.thread_ts : undefined;
      const metadata = p.metadata as FakeMessage['metadata'];
      messages.push({
        channel,
        ts,
        ...(thread !== undefined && { threadTs: thread }),
        text: String(p.text ?? ''),
        blocks: Array.isArray(p.blocks) ? p.blocks : [],
        updates: 0,
        reactions: [],
        reactedBy: {},
        ...(metadata?.event_type !== undefined && { metadata }),
      });
      return { channel, ts, message: { type: 'message', text: p.text, ts, user: BOT_USER_ID } };
    },
    'chat.update': (p) => {
      const message = find(String(p.channel), String(p.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      message.text = String(p.text ?? '');
      message.blocks = Array.isArray(p.blocks) ? p.blocks : [];
      message.updates++;
      return { channel: message.channel, ts: message.ts, text: message.text };
    },
    'chat.delete': (p) => {
      const message = find(String(p.channel), String(p.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      messages.splice(messages.indexOf(message), 1);
      deleted.push(message);
      return { channel: message.channel, ts: message.ts };
    },
    'conversations.history': (p) => {
      const channel = String(p.channel);
      if (postable(channel) === null) return { ok: false, error: 'channel_not_found' };
      const top = messages.filter((m) => m.channel === channel && m.threadTs === undefined);
      return page(inWindow(top, p).reverse(), p);
    },
    'conversations.replies': (p) => {
      const parent = find(String(p.channel), String(p.ts));
      if (!parent) return { ok: false, error: 'thread_not_found' };
      const replies = messages.filter((m) => m.channel === parent.channel && m.threadTs === parent.ts);
      return page([parent, ...inWindow(replies, p)], p);
    },
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'chat.getPermalink': (p) => {
      const channel = String(p.channel);
      const message = find(channel, String(p.message_ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      const thread = message.threadTs !== undefined ? `?thread_ts=${message.threadTs}&cid=${channel}` : '';
      return {
        channel,
        permalink: `${permalinkOf(channel, message.ts)}${thread}`,
      };
    },
    'reactions.add': (p) => {
      const message = find(String(p.channel), String(p.timestamp));
      if (!message) return { ok: false, error: 'message_not_found' };
      if (message.reactions.includes(String(p.name))) return { ok: false, error: 'already_reacted' };
      message.reactions.push(String(p.name));
      return {};
    },
    'reactions.get': (p) => {
      const message = find(String(p.channel), String(p.timestamp));
      if (!message) return { ok: false, error: 'message_not_found' };
      const names = [...new Set([...message.reactions, ...Object.keys(message.reactedBy)])];
      const reactions = names
        .map((name) => ({
          name,
          users: [
            ...(message.reactions.includes(name) ? [BOT_USER_ID] : []),
            ...(message.reactedBy[name] ?? []),
          ],
        }))
        .filter((r) => r.users.length > 0)
        .map((r) => ({ ...r, count: r.users.length }));
      return {
        type: 'message',
        channel: message.channel,
        message: { type: 'message', text: message.text, ts: message.ts, reactions },
      };
    },
    'conversations.list': (p) => {
      // Two per page whatever the limit, so pagination is always exercised.
      const start = Number(p.cursor ?? 0);
      const page = channels.slice(start, start + 2);
      const next = start + 2 < channels.length ? String(start + 2) : '';
      return {
        channels: page.map((c) => ({
          id: c.id,
          name: c.name,
          is_channel: true,
          is_private: c.isPrivate,
          is_member: c.member,
        })),
        response_metadata: { next_cursor: next },
      };
    },
    'conversations.join': (p) => {
      const channel = channels.find((c) => c.id === p.channel);
      if (!channel || channel.isPrivate) return { ok: false, error: 'channel_not_found' };
      channel.member = true;
      return { channel: { id: channel.id, name: channel.name } };
    },
    'conversations.open': (p) => ({ channel: { id: `D${String(p.users).slice(1)}` } }),
    'files.getUploadURLExternal': () => {
      const fileId = `F${String(++counter).padStart(8, '0')}`;
      return { upload_url: `${base()}/upload/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (p) => ({ files: p.files }),
  };

  return { methods, messages, deleted, find };
}

/** Slack's `oldest` / `latest` window (exclusive unless `inclusive`). */
function inWindow(list: FakeMessage[], p: Record<string, unknown>): FakeMessage[] {
  const inclusive = p.inclusive === true || p.inclusive === 'true';
  const oldest = p.oldest !== undefined ? Number(p.oldest) : Number.NEGATIVE_INFINITY;
  const latest = p.latest !== undefined ? Number(p.latest) : Number.POSITIVE_INFINITY;
  return list.filter((m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  });
}

/** One page of a history or replies answer, as Slack shapes it (metadata only with include_all_metadata). */
function page(list: FakeMessage[], p: Record<string, unknown>): Record<string, unknown> {
  const limit = Math.min(Number(p.limit ?? 100) || 100, 1000);
  const start = Number(p.cursor ?? 0);
  const slice = list.slice(start, start + limit);
  const more = start + limit < list.length;
  const withMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
  return {
    messages: slice.map((m) => ({
      type: 'message',
      user: BOT_USER_ID,
      bot_id: 'B0PREFLIGHT',
      text: m.text,
      ts: m.ts,
      ...(m.threadTs !== undefined && { thread_ts: m.threadTs }),
      ...(withMetadata && m.metadata && { metadata: m.metadata }),
    })),
    has_more: more,
    response_metadata: { next_cursor: more ? String(start + limit) : '' },
  };
}
