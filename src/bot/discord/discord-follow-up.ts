/**
 * Whether an interaction's answer for the channel is there already: a handling that died once Discord took the
 * follow-up, before the inbox heard it was sent, leaves the entry to the next one, and Discord takes no nonce on a
 * follow-up. Discord marks the messages an interaction made with its id (interaction_metadata): the channel's
 * messages since the interaction (its id is a snowflake of its moment) are looked through for one.
 */
import { type REST, Routes } from 'discord.js';
import { DISCORD_CODES, toChatSendError } from './discord-errors.ts';

const PAGE = 100;
const MAX_PAGES = 5;

interface ListedMessage {
  readonly id: string;
  readonly interaction_metadata?: { readonly id?: string };
  /** What Discord set before interaction_metadata (deprecated, still sent). */
  readonly interaction?: { readonly id?: string };
}

/**
 * Whether a message of `interactionId` is in `channelId` (ephemeral ones are never listed). A failure Discord may
 * get over is thrown (the inbox handles the entry again); a refusal for good (no Read Message History) answers
 * false: the answer is posted, as a double is better than no answer.
 */
export async function followUpShown(rest: REST, channelId: string, interactionId: string): Promise<boolean> {
  let cursor = BigInt(interactionId);
  for (let page = 0; page < MAX_PAGES; page++) {
    let listed: ListedMessage[];
    try {
      listed = (await rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ after: String(cursor), limit: String(PAGE) }),
      })) as ListedMessage[];
    } catch (error) {
      if ((error as { code?: unknown }).code === DISCORD_CODES.unknownChannel) return false;
      const failed = toChatSendError(error, `look for the answer to interaction ${interactionId}`);
      if (failed.kind === 'retry' || failed.kind === 'rate-limited') throw failed;
      return false;
    }
    if (listed.some((m) => (m.interaction_metadata?.id ?? m.interaction?.id) === interactionId)) return true;
    if (listed.length < PAGE) return false;
    cursor = listed.reduce((max, m) => (BigInt(m.id) > max ? BigInt(m.id) : max), cursor);
  }
  return false;
}
