/** The Web API methods the fake Slack answers, over one workspace's channels and messages (see fake-slack-api.ts). */
export const BOT_USER_ID = 'U0PREFLIGHT';
export const DEPLOY_CHANNEL = 'C0DEPLOY1';
export const INCIDENT_CHANNEL = 'C0INCIDNT1';

/** A message as the fake workspace holds it (edits replace text and blocks). */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  text: string;
  blocks: unknown[];
  updates: number;
  reactions: string[];
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
  let counter = 0;
  const find = (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts);
  const postable = (id: string) =>
    id.startsWith('D') ? undefined : (channels.find((c) => c.id === id) ?? null);

  const methods: Record<string, SlackMethod> = {
    'auth.test': () => ({
      url: 'https://example.slack.com/',
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
      const ts = `1767765600.${String(100000 + ++counter).padStart(6, '0')}`;
      const thread = typeof p.thread_ts === 'string' ? p.thread_ts : undefined;
      messages.push({
        channel,
        ts,
        ...(thread !== undefined && { threadTs: thread }),
        text: String(p.text ?? ''),
        blocks: Array.isArray(p.blocks) ? p.blocks : [],
        updates: 0,
        reactions: [],
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
    'chat.postEphemeral': () => ({ message_ts: `1767765600.${String(++counter).padStart(6, '0')}` }),
    'reactions.add': (p) => {
      const message = find(String(p.channel), String(p.timestamp));
      if (!message) return { ok: false, error: 'message_not_found' };
      if (message.reactions.includes(String(p.name))) return { ok: false, error: 'already_reacted' };
      message.reactions.push(String(p.name));
      return {};
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

  return { methods, messages, find };
}
