/**
 * Whether an interaction's answer for the channel is there already: a handling that died once Discord took the
 * follow-up, before the inbox heard it was sent, leaves the entry to the next one, and Discord takes no nonce on a
 * follow-up. Discord marks the messages an interaction made with its id (interaction_metadata): the channel's
 * messages since the interaction (its id is a snowflake of its moment) are looked through for one.
 */
import type { REST } from 'discord.js';
import { ChatSendError } from '../../core/index.ts';
import { listMessagesAfter } from './discord-list-messages.ts';

/**
 * Whether a message of `interactionId` is in `channelId` (ephemeral ones are never listed). A failure Discord may
 * get over is thrown (the inbox handles the entry again); a refusal for good (no Read Message History) answers
 * false: the answer is posted, as a double is better than no answer.
 */
export async function followUpShown(rest: REST, channelId: string, interactionId: string): Promise<boolean> {
  try {
    const listed = await listMessagesAfter(
      rest,
      channelId,
      interactionId,
      `look for the answer to interaction ${interactionId}`,
    );
    return listed.some((m) => (m.interaction_metadata?.id ?? m.interaction?.id) === interactionId);
  } catch (error) {
    if (error instanceof ChatSendError && (error.kind === 'retry' || error.kind === 'rate-limited'))
      throw error;
    return false;
  }
}
