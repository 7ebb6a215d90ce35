/**
 * Finds Preflight's own post for a send whose outcome is unknown (its process died before Discord answered).
 * Every post carries a nonce made from its delivery id with enforce_nonce, and Discord answers a repeat within a
 * few minutes with the message it already made: so within the first minute nothing is looked up, the resend is
 * the lookup. Later, Discord no longer knows the nonce, and a message keeps no other mark of its delivery: the
 * bot's own messages in the channel (or thread) since the first attempt are compared with what would be posted,
 * text and buttons. The oldest match not known as another delivery's post is taken; none is deleted, since two
 * deliveries may read the same.
 */
import { type REST, Routes } from 'discord.js';
import type { DeliverySearch, MessageRef } from '../../core/index.ts';
import type { DiscordChannelDirectory } from './discord-channels.ts';
import { toChatSendError } from './discord-errors.ts';
import { type ListedMessage, listMessagesAfter } from './discord-list-messages.ts';
import type { DiscordMessage } from './discord-message.ts';

/** How long after the first attempt the nonce alone is trusted to catch a repeat. */
export const NONCE_TRUSTED_MS = 60_000;
/** Clocks of the processes and Discord's disagree a little: look a bit further back. */
const SKEW_MS = 30_000;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** The smallest snowflake of a moment: `after` it lists the messages made from then on. */
export function snowflakeAt(ms: number): string {
  return String((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n);
}

const customIds = (rows: ListedMessage['components'] = []) =>
  rows.flatMap((row) => (row.components ?? []).map((c) => c.custom_id ?? '')).join('\n');

export interface DiscordDeliveryFinderDeps {
  readonly rest: REST;
  readonly channels: DiscordChannelDirectory;
  /** The message as `post` would send it. */
  readonly build: (search: DeliverySearch) => DiscordMessage | undefined;
  readonly now?: () => number;
}

/** Creates the lookup behind ChatPort.findDelivery. */
export function createDiscordDeliveryFinder(deps: DiscordDeliveryFinderDeps) {
  const { rest } = deps;
  const now = deps.now ?? Date.now;
  let self: Promise<string> | undefined;
  const selfId = () => {
    self ??= (rest.get(Routes.user()) as Promise<{ id: string }>).then((u) => u.id);
    self.catch(() => {
      self = undefined;
    });
    return self;
  };

  const listAfter = (channelId: string, after: string, what: string) =>
    listMessagesAfter(rest, channelId, after, what);

  return async (search: DeliverySearch): Promise<MessageRef | undefined> => {
    if (now() - search.since < NONCE_TRUSTED_MS) return undefined;
    const expected = deps.build(search);
    if (!expected) return undefined;
    const threadId = search.thread ? (search.thread.thread ?? search.thread.id) : undefined;
    const channelId = threadId ?? (await deps.channels.resolve(search.channel));
    const what = `look up delivery ${search.deliveryId}`;
    const me = await selfId().catch((error: unknown) => {
      throw toChatSendError(error, what);
    });
    const wanted = customIds(expected.body.components);
    const messages = await listAfter(channelId, snowflakeAt(search.since - SKEW_MS), what);
    const alike = messages.filter(
      (m) =>
        m.author?.id === me &&
        (m.content ?? '').trim() === expected.body.content.trim() &&
        customIds(m.components) === wanted,
    );
    for (const m of alike) {
      const ref: MessageRef = {
        platform: 'discord',
        channel: channelId,
        id: m.id,
        ...(threadId !== undefined && { thread: threadId }),
      };
      if (!(await search.claimed?.(ref))) return ref;
    }
    return undefined;
  };
}
