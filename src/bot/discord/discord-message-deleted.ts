/**
 * Messages deleted on Discord: MESSAGE_DELETE (one) and MESSAGE_DELETE_BULK (a moderator's purge) come with the
 * Guild Messages intent (Direct Messages for a direct message), naming the channel (a thread's id, for a reply) and
 * the message, never who deleted it. Each becomes an inbox entry, so a prompt of Preflight's deleted there is posted
 * again (bot/message-deleted.ts). The entry's id is the message's own: two bots on one token hear the deletion
 * twice and record it once.
 */
import { type Client, Events } from 'discord.js';
import type { InboxEntry } from '../../core/index.ts';
import type { DiscordHome } from './discord-home.ts';

interface DeletionPayload {
  readonly id?: unknown;
  readonly ids?: unknown;
  readonly channel_id?: unknown;
  readonly guild_id?: unknown;
}

/** Records the deletions Discord tells, in Preflight's server or a direct message; `record` retries as for reactions. */
export function onMessagesDeleted(
  client: Client,
  deps: { readonly home: DiscordHome; readonly record: (entry: InboxEntry) => void },
): void {
  client.on(Events.Raw, (packet: { t?: string; d?: DeletionPayload }) => {
    const bulk = packet.t === 'MESSAGE_DELETE_BULK';
    if ((!bulk && packet.t !== 'MESSAGE_DELETE') || !packet.d) return;
    const { id, ids, channel_id: channel, guild_id: guildId } = packet.d;
    if (typeof channel !== 'string') return;
    if (!deps.home.admits('deletion', typeof guildId === 'string' ? guildId : null)) return;
    const messages = bulk ? (Array.isArray(ids) ? ids : []) : [id];
    for (const messageId of messages)
      if (typeof messageId === 'string')
        deps.record({
          platform: 'discord',
          id: `deleted:${channel}:${messageId}`,
          userId: '',
          channel,
          event: { type: 'message-deleted', messageId },
        });
  });
}
