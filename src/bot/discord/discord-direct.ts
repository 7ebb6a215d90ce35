/** A message to one person by direct message, for the answers Discord gives no private reply for. */
import { type REST, Routes } from 'discord.js';
import type { ChatSendError } from '../../core/index.ts';
import { toChatSendError } from './discord-errors.ts';

/** Opens the person's direct message channel and posts `content` there, mentioning nobody. */
export async function sendDirectMessage(rest: REST, userId: string, content: string): Promise<void> {
  const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
  await rest.post(Routes.channelMessages(dm.id), { body: { content, allowed_mentions: { parse: [] } } });
}

/**
 * The failure of `what`, when it is one for good (the person takes no DMs, the channel refuses); a failure Discord
 * may get over (5xx, network, rate limit) is thrown, so the inbox handles the entry again.
 */
export function failedForGood(error: unknown, what: string): ChatSendError {
  const failed = toChatSendError(error, what);
  if (failed.kind === 'retry' || failed.kind === 'rate-limited') throw failed;
  return failed;
}
