/** The fake Discord's world: one guild with its channels and threads, the bot, messages, and every REST call. */

export const APPLICATION_ID = '1280000000000000000';
export const BOT_USER_ID = '1280000000000000000';
export const GUILD_ID = '1270000000000000000';
export const DEPLOY_CHANNEL_ID = '1270000000000000101';
export const INCIDENT_CHANNEL_ID = '1270000000000000102';

export interface DiscordCall {
  readonly method: string;
  /** The path after /api/v10, e.g. `/channels/1270…/messages`. */
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** Names of the files sent with it (multipart). */
  readonly files: readonly string[];
  readonly status: number;
  /** Whether an Authorization header came with it. */
  readonly authorized: boolean;
  readonly at: number;
}

export interface FakeDiscordMessage {
  readonly id: string;
  channel_id: string;
  content: string;
  components: unknown[];
  attachments: { id: string; filename: string; content: string }[];
  /** The nonce it was posted with (enforce_nonce: a repeat within NONCE_KEPT_MS returns this message). */
  nonce?: string;
  /** Who wrote it: the bot unless said otherwise. */
  author?: string;
  /** The interaction it answers (a follow-up for the channel): Discord lists it with interaction_metadata. */
  interaction?: string;
  /** The thread started from this message, if any (its id is the message id, as on Discord). */
  thread?: string;
  edits: number;
  readonly at: number;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  /** 0 text, 1 DM, 11 public thread. */
  readonly type: number;
  readonly parent_id?: string;
  readonly recipient?: string;
  /** The server it is in: the test guild (GUILD_ID) unless said otherwise; another bot's server, say. */
  readonly guild?: string;
}

/** Whether a channel of the world is in server `guild`. */
export const inGuild = (channel: FakeChannel, guild: string): boolean =>
  channel.type !== 1 && (channel.guild ?? GUILD_ID) === guild;

export const now = () => performance.timeOrigin + performance.now();

/** Discord's limits on answering an interaction: the initial response within 3 s, the token then 15 minutes. */
export const INITIAL_RESPONSE_MS = 3_000;
export const TOKEN_VALID_MS = 15 * 60_000;

/** An interaction the gateway delivered, as Discord tracks it for its answers. */
export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  /** When the gateway dispatched it (ms, `now()`). */
  readonly at: number;
  /** Whether its initial response (the callback) was made: only then does its token take follow-ups and edits. */
  acknowledged: boolean;
  /**
   * Whether its initial response was a deferral ("… is thinking") not yet edited: while it is, Discord makes a
   * follow-up the edit of that message, which keeps the deferral's ephemeral flag (Create Followup Message).
   */
  thinking?: boolean;
  /** The channel (or thread) it was made in. */
  readonly channel?: string;
}

/** How long the fake, like Discord ("a few minutes"), remembers a nonce posted with enforce_nonce. */
export const NONCE_KEPT_MS = 3 * 60_000;

/** The most characters Discord takes in a message's content (more: 400, 50035 Invalid Form Body). */
export const CONTENT_MAX = 2_000;

let counter = 0n;
/** A fresh snowflake (19 digits) of the moment `at`, as Discord makes them: its time in the high bits; increasing. */
export function nextSnowflake(at = Date.now()): string {
  counter += 1n;
  return String(((BigInt(at) - 1_420_070_400_000n) << 22n) + (counter % 4096n));
}

/** The state behind the fake REST API and gateway. */
export function createDiscordWorld() {
  const channels = new Map<string, FakeChannel>([
    [DEPLOY_CHANNEL_ID, { id: DEPLOY_CHANNEL_ID, name: 'deployments', type: 0 }],
    [INCIDENT_CHANNEL_ID, { id: INCIDENT_CHANNEL_ID, name: 'incident-response', type: 0 }],
  ]);
  return {
    /** The bot token the fake accepts. */
    token: 'MTI4MDAwMDAwMDAwMDAwMDAwMA.fake.preflight-test-token',
    channels,
    messages: [] as FakeDiscordMessage[],
    /** Follow-ups for the channel: listed among its messages (GET …/messages), kept apart from the bot's posts. */
    followUps: [] as FakeDiscordMessage[],
    calls: [] as DiscordCall[],
    /** Command lists stored by bulk overwrites, by route. */
    commands: new Map<string, unknown[]>(),
    /** Interaction callbacks, follow-ups and edits of the original answer, by interaction token. */
    answers: [] as {
      token: string;
      kind: 'callback' | 'edit' | 'followup' | 'delete';
      body: Record<string, unknown>;
      /** Files sent with it (multipart). */
      files?: { name: string; content: string }[];
      at: number;
    }[],
    /** Interactions dispatched by the gateway, by token (for Discord's rules on answering them). */
    interactions: new Map<string, FakeInteraction>(),
    /**
     * Channels that refuse the bot's posts, with Discord's code (50001 Missing Access, 50013 Missing Permissions):
     * posting there or in a thread under it, or starting a thread there, answers 403 and is not carried out.
     */
    refused: new Map<string, number>(),
    /** Channels where the bot may post but not start threads (Create Public Threads missing: 403, 50013). */
    threadsRefused: new Set<string>(),
    /**
     * Threads a moderator archived and locked: the bot's posts and edits there answer 400 Thread is archived
     * (50083) and are not carried out (a thread only archived would be opened again by a post).
     */
    lockedThreads: new Set<string>(),
    /** People who take no direct messages from the bot: posting to their DM channel answers 403 (50007). */
    closedDms: new Set<string>(),
    /** Other apps' bot users: listed with `bot: true` among a message's reactions, and never sent a DM (50007). */
    bots: new Set<string>(),
    /**
     * While set, GET …/reactions/{emoji} answers only once it settles (Discord slow to list reactions; one never
     * settled is Discord not answering: the client gives up on its own).
     */
    reactionReadsHeld: undefined as Promise<void> | undefined,
    /** Reactions people have on messages now: message id → emoji → user ids (GET …/reactions/{emoji} reads it). */
    reactions: new Map<string, Map<string, Set<string>>>(),
    /** Super reactions (burst), kept apart as Discord keeps them: GET …/reactions/{emoji}?type=1 lists them. */
    superReactions: new Map<string, Map<string, Set<string>>>(),
    message(id: string) {
      return this.messages.find((m) => m.id === id);
    },
    /**
     * A message's `reactions` as Discord shows them on the message: one per emoji anyone has on it, with its
     * normal and super counts (count_details); undefined when it has none (Discord then leaves the field out).
     */
    reactionsOn(messageId: string): Record<string, unknown>[] | undefined {
      const counts = new Map<string, { normal: number; burst: number }>();
      for (const [kept, kind] of [
        [this.reactions, 'normal'],
        [this.superReactions, 'burst'],
      ] as const)
        for (const [emoji, users] of kept.get(messageId) ?? []) {
          if (users.size === 0) continue;
          const count = counts.get(emoji) ?? { normal: 0, burst: 0 };
          count[kind] = users.size;
          counts.set(emoji, count);
        }
      if (counts.size === 0) return undefined;
      return [...counts].map(([name, { normal, burst }]) => ({
        emoji: { id: null, name },
        count: normal + burst,
        count_details: { burst, normal },
        burst_colors: burst > 0 ? ['#2ecc71'] : [],
        me_burst: false,
        me: false,
      }));
    },
    /** Records a person's reaction being added or taken away, as Discord keeps it whether or not a bot listens. */
    react(messageId: string, emoji: string, user: string, added: boolean, burst = false) {
      const kept = burst ? this.superReactions : this.reactions;
      const onMessage = kept.get(messageId) ?? new Map<string, Set<string>>();
      kept.set(messageId, onMessage);
      const users = onMessage.get(emoji) ?? new Set<string>();
      onMessage.set(emoji, users);
      if (added) users.add(user);
      else users.delete(user);
    },
  };
}

export type DiscordWorld = ReturnType<typeof createDiscordWorld>;

/** A channel object as Discord sends it. */
export function channelJson(channel: FakeChannel): Record<string, unknown> {
  if (channel.type === 1)
    return {
      id: channel.id,
      type: 1,
      last_message_id: null,
      recipients: [userJson(channel.recipient ?? '')],
    };
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guild ?? GUILD_ID,
    name: channel.name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: channel.parent_id ?? null,
    ...(channel.type === 11 && {
      owner_id: BOT_USER_ID,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
      message_count: 0,
      member_count: 1,
    }),
  };
}

export function userJson(id: string, bot = false): Record<string, unknown> {
  return {
    id,
    username: id === BOT_USER_ID ? 'preflight' : `${bot ? 'bot' : 'user'}${id.slice(-2)}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
    ...(bot && { bot: true }),
  };
}

export function memberJson(userId: string): Record<string, unknown> {
  return {
    user: userJson(userId),
    roles: [],
    joined_at: '2026-01-01T00:00:00.000000+00:00',
    deaf: false,
    mute: false,
    flags: 0,
  };
}

/** A message object as Discord sends it. */
export function messageJson(
  m: FakeDiscordMessage,
  /** The message's reactions (DiscordWorld.reactionsOn), where Discord shows them. */
  reactions?: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    ...(reactions && { reactions }),
    id: m.id,
    channel_id: m.channel_id,
    author: m.author === undefined ? userJson(BOT_USER_ID, true) : userJson(m.author),
    content: m.content,
    ...(m.interaction !== undefined && {
      webhook_id: APPLICATION_ID,
      interaction_metadata: { id: m.interaction, type: 2 },
    }),
    timestamp: new Date(m.at).toISOString(),
    edited_timestamp: m.edits > 0 ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.content.length,
      url: `https://cdn.invalid/${a.id}`,
      proxy_url: `https://cdn.invalid/${a.id}`,
    })),
    embeds: [],
    components: m.components,
    pinned: false,
    type: 0,
    flags: 0,
  };
}
