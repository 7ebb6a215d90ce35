/** A message to one person by direct message, for the answers Discord gives no private reply for. */
import { type REST, Routes } from 'discord.js';
import { type ChatSendError, type InboxEntry, lateAnswerKey } from '../../core/index.ts';
import { nonceOf } from './discord-chat.ts';
import { toChatSendError } from './discord-errors.ts';

/** Where an entry's answer is posted outside its interaction: to the person alone, or in the channel. */
export type AnswerPlace = 'dm' | 'channel';

/**
 * What makes a post of an entry's answer (in `place`) once: a handling that dies after Discord took the post and
 * before the inbox heard it was sent leaves the entry to the next one, whose post carries the same nonce, and
 * Discord answers it (within minutes, as the next handling comes) with the message it made the first time.
 */
export function answerNonce(entry: InboxEntry, place: AnswerPlace) {
  return {
    nonce: nonceOf(`${lateAnswerKey({ platform: 'discord', entryId: entry.id })}:${place}`),
    enforce_nonce: true,
  } as const;
}

/** Opens the person's direct message channel and posts `content` there (once per `nonce`), mentioning nobody. */
export async function sendDirectMessage(
  rest: REST,
  userId: string,
  content: string,
  nonce?: ReturnType<typeof answerNonce>,
): Promise<void> {
  const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
  await rest.post(Routes.channelMessages(dm.id), {
    body: { content, allowed_mentions: { parse: [] }, ...nonce },
  });
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
