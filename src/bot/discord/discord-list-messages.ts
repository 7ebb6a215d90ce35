/** A channel's messages made after a snowflake, read page by page (Discord lists at most 100 at a time). */
import { type REST, Routes } from 'discord.js';
import { DISCORD_CODES, toChatSendError } from './discord-errors.ts';

const PAGE = 100;
const MAX_PAGES = 5;

/** What Preflight reads of a listed message. */
export interface ListedMessage {
  readonly id: string;
  readonly content?: string;
  readonly author?: { readonly id?: string };
  readonly components?: readonly { readonly components?: readonly { readonly custom_id?: string }[] }[];
  /** The interaction that made it, where one did. */
  readonly interaction_metadata?: { readonly id?: string };
  /** What Discord set before interaction_metadata (deprecated, still sent). */
  readonly interaction?: { readonly id?: string };
}

/**
 * The messages of `channelId` made after `after`, oldest first, up to 500; a channel that is not there (a thread
 * never started) has none. Any other failure is a ChatSendError saying `what` was being done.
 */
export async function listMessagesAfter(
  rest: REST,
  channelId: string,
  after: string,
  what: string,
): Promise<ListedMessage[]> {
  const found: ListedMessage[] = [];
  let cursor = BigInt(after);
  for (let page = 0; page < MAX_PAGES; page++) {
    let listed: ListedMessage[];
    try {
      listed = (await rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ after: String(cursor), limit: String(PAGE) }),
      })) as ListedMessage[];
    } catch (error) {
      if ((error as { code?: unknown }).code === DISCORD_CODES.unknownChannel) return found;
      throw toChatSendError(error, what);
    }
    found.push(...listed);
    if (listed.length < PAGE) break;
    cursor = listed.reduce((max, m) => (BigInt(m.id) > max ? BigInt(m.id) : max), cursor);
  }
  return found.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
