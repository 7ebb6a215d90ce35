/**
 * Channel names from the runbook (`#deployments`) to Slack ids, through conversations.list (every page, cached,
 * reloaded at most every 30 s on a miss). Preflight joins the public channels it posts to, because it only hears
 * reactions and thread replies in channels it is a member of. Direct-message channels come from conversations.open.
 */
import { ChatSendError } from '../../core/index.ts';
import { toChatSendError } from './slack-errors.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const RELOAD_MS = 30_000;

interface Channel {
  readonly id: string;
  readonly isPrivate: boolean;
  member: boolean;
}

export interface ChannelDirectory {
  /** The id of a channel given by name (`#deployments`) or already by id. */
  resolve(channel: string): Promise<string>;
  /** The id of the direct-message channel with a user. */
  directChannel(userId: string): Promise<string>;
}

interface ListPage {
  readonly channels?: readonly {
    id?: string;
    name?: string;
    is_private?: boolean;
    is_member?: boolean;
  }[];
  readonly response_metadata?: { next_cursor?: string };
}

/** Creates the directory for one workspace. */
export function createChannelDirectory(deps: {
  api: SlackApi;
  log: SlackLog;
  now?: () => number;
}): ChannelDirectory {
  const { api, log } = deps;
  const now = deps.now ?? Date.now;
  let byName = new Map<string, Channel>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  const directs = new Map<string, string>();

  const load = async (): Promise<void> => {
    const found = new Map<string, Channel>();
    let cursor = '';
    do {
      const page = (await api
        .apiCall('conversations.list', {
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1000,
          ...(cursor && { cursor }),
        })
        .catch((error: unknown) => {
          throw toChatSendError(error, 'list Slack channels');
        })) as ListPage;
      for (const c of page.channels ?? []) {
        if (c.id && c.name)
          found.set(c.name.toLowerCase(), {
            id: c.id,
            isPrivate: c.is_private === true,
            member: c.is_member === true,
          });
      }
      cursor = page.response_metadata?.next_cursor ?? '';
    } while (cursor !== '');
    byName = found;
    loadedAt = now();
  };

  const reload = (): Promise<void> => {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  const join = async (name: string, channel: Channel): Promise<void> => {
    if (channel.member || channel.isPrivate) return;
    try {
      await api.apiCall('conversations.join', { channel: channel.id });
      channel.member = true;
      log.info({ channel: `#${name}` }, 'joined Slack channel');
    } catch (error) {
      // Posting may still work; if it does not, the post fails with a message saying to invite Preflight.
      log.warn({ channel: `#${name}`, err: (error as Error).message }, 'could not join Slack channel');
    }
  };

  return {
    async resolve(channel) {
      if (CHANNEL_ID.test(channel)) return channel;
      const name = channel.replace(/^#/, '').toLowerCase();
      let found = byName.get(name);
      if (!found && (loading || now() - loadedAt >= RELOAD_MS)) {
        await reload();
        found = byName.get(name);
      }
      if (!found) {
        throw new ChatSendError(
          'refused',
          `Slack channel #${name} was not found: create it, or if it is private invite Preflight to it (/invite @Preflight); the runbook's channels: name it`,
        );
      }
      await join(name, found);
      return found.id;
    },

    async directChannel(userId) {
      const known = directs.get(userId);
      if (known) return known;
      const opened = (await api.apiCall('conversations.open', { users: userId }).catch((error: unknown) => {
        throw toChatSendError(error, `open a direct message with ${userId}`);
      })) as { channel?: { id?: string } };
      const id = opened.channel?.id;
      if (!id) throw new ChatSendError('retry', `Slack opened no direct message channel with ${userId}`);
      directs.set(userId, id);
      return id;
    },
  };
}
