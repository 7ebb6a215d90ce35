/**
 * Channel names from the runbook (`#deployments`) to Discord channel ids, looked up in the bot's guild
 * (DISCORD_GUILD_ID, or every guild the bot is in) through GET /guilds/{id}/channels: cached, reloaded at most every
 * 30 s on a miss. Direct-message channels come from POST /users/@me/channels.
 */
import { type REST, Routes } from 'discord.js';
import { ChatSendError } from '../../core/index.ts';
import { toChatSendError } from './discord-errors.ts';

const SNOWFLAKE = /^\d{17,20}$/;
const RELOAD_MS = 30_000;
/** Text and announcement channels: the ones a deployment thread can start in. */
const POSTABLE = new Set([0, 5]);

export interface DiscordChannelDirectory {
  /** The id of a channel given by name (`#deployments`) or already by id. */
  resolve(channel: string): Promise<string>;
  /** The id of the direct-message channel with a user. */
  directChannel(userId: string): Promise<string>;
  /** The server a channel of the runbooks is in; undefined when it is not among the bot's. */
  guildOf(channelId: string): Promise<string | undefined>;
}

/** A postable channel found by name, and the server it is in. */
interface Found {
  readonly id: string;
  readonly guild: string;
}

/**
 * A name that more than one channel the bot sees has: none is picked by the order Discord lists them in (posts would
 * go to whichever came first, perhaps in a stranger's server the bot was invited to).
 */
function ambiguous(name: string, found: readonly Found[]): ChatSendError {
  const servers = [...new Set(found.map((f) => f.guild))];
  return new ChatSendError(
    'refused',
    servers.length > 1
      ? `Discord channel #${name} is in more than one of the bot's servers (${servers.join(', ')}), so Preflight does not pick one: set DISCORD_GUILD_ID to the server the runbooks mean`
      : `Discord channel #${name} names ${found.length} channels in the bot's server (${found.map((f) => f.id).join(', ')}), so Preflight does not pick one: rename the one the runbooks do not mean`,
  );
}

/** Creates the directory; `guildIds` are the guilds to look in (read at each reload). */
export function createDiscordChannelDirectory(deps: {
  rest: REST;
  guildIds: () => readonly string[];
  now?: () => number;
}): DiscordChannelDirectory {
  const now = deps.now ?? Date.now;
  let byName = new Map<string, readonly Found[]>();
  let guilds = new Map<string, string>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  const directs = new Map<string, string>();

  const load = async () => {
    const found = new Map<string, Found[]>();
    const guildOfChannel = new Map<string, string>();
    for (const guild of deps.guildIds()) {
      const channels = (await deps.rest.get(Routes.guildChannels(guild)).catch((error: unknown) => {
        throw toChatSendError(error, `list the channels of guild ${guild}`);
      })) as { id: string; name?: string; type: number }[];
      for (const c of channels) {
        guildOfChannel.set(c.id, guild);
        if (!c.name || !POSTABLE.has(c.type)) continue;
        const name = c.name.toLowerCase();
        found.set(name, [...(found.get(name) ?? []), { id: c.id, guild }]);
      }
    }
    byName = found;
    guilds = guildOfChannel;
    loadedAt = now();
  };
  const reload = () => {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  return {
    async resolve(channel) {
      if (SNOWFLAKE.test(channel)) return channel;
      const name = channel.replace(/^#/, '').toLowerCase();
      let found = byName.get(name);
      // Not found, or found more than once: looked for again (made, renamed, or let in since), at most every 30 s.
      if ((found?.length ?? 0) !== 1 && (loading || now() - loadedAt >= RELOAD_MS)) {
        await reload();
        found = byName.get(name);
      }
      const [only, ...more] = found ?? [];
      if (only === undefined)
        throw new ChatSendError(
          'refused',
          `Discord channel #${name} was not found in the bot's server: create it, or give the bot View Channel there; the runbook's channels: name it`,
        );
      if (more.length > 0) throw ambiguous(name, [only, ...more]);
      return only.id;
    },
    async guildOf(channelId) {
      if (!guilds.has(channelId) && (loading || now() - loadedAt >= RELOAD_MS)) await reload();
      return guilds.get(channelId);
    },
    async directChannel(userId) {
      const known = directs.get(userId);
      if (known) return known;
      const opened = (await deps.rest
        .post(Routes.userChannels(), { body: { recipient_id: userId } })
        .catch((error: unknown) => {
          throw toChatSendError(error, `open a direct message with ${userId}`);
        })) as { id?: string };
      if (!opened.id)
        throw new ChatSendError('retry', `Discord opened no direct message channel with ${userId}`);
      directs.set(userId, opened.id);
      return opened.id;
    },
  };
}
