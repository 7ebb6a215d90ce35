/**
 * The answer to an interaction whose token Discord no longer takes. A bot that died (or stalled) after recording
 * the interaction and before its initial response made Discord show "This interaction failed" and invalidate the
 * token: edits and follow-ups get 10015 Unknown Webhook, and after 15 minutes 50027 Invalid Webhook Token. The
 * interaction was handled all the same once the inbox handed it on, so the person is told by direct message what
 * came of it (lest they do it again); one who takes no direct messages is named in the channel where they asked.
 * An answer meant for the channel (an abort, a pause, a lock) goes to the channel, naming the person, so the people
 * there hear what they would have heard.
 */
import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { InboxEntry } from '../../core/index.ts';
import { whatWasDone } from '../what-was-done.ts';
import { answerNonce, failedForGood, sendDirectMessage } from './discord-direct.ts';
import type { AllowedMentions } from './discord-message.ts';
import type { DiscordLog } from './discord-types.ts';

/**
 * Why Discord no longer takes an interaction's token: its initial response was missed, or 15 minutes passed, or
 * it was made in a thread a moderator archived and locked, where Discord takes no answer (`closed`).
 */
export type TokenGone = 'missed' | 'expired' | 'closed';

/** Why `error` says the interaction's token is gone, if it does. */
export function tokenGoneOf(error: unknown): TokenGone | undefined {
  if (!(error instanceof DiscordAPIError)) return undefined;
  if (error.code === 10015 || error.code === 10062) return 'missed';
  return error.code === 50027 ? 'expired' : undefined;
}

/** The answer's text (core text) for a person whose interaction Discord no longer lets Preflight answer. */
export function lateAnswerText(entry: InboxEntry, answer: string, why: TokenGone): string {
  const what = whatWasDone(entry.event);
  const opening =
    why === 'missed'
      ? `Discord showed you “This interaction failed” for ${what}, but Preflight had recorded it`
      : why === 'closed'
        ? `Discord lets Preflight take ${what} but not answer it in that thread (it is archived and locked)`
        : `Preflight's answer to ${what} comes after the 15 minutes in which Discord takes one`;
  return `⚠️ ${opening}, and this is what came of it (no need to do it again): ${answer}`;
}

export interface LateAnswerDeps {
  readonly rest: REST;
  readonly log: DiscordLog;
}

/** The late answer: for the person alone (`dm`), or for the channel (`inChannel`, which names them first). */
export interface LateAnswer {
  readonly dm: string;
  readonly inChannel: string;
  /** Whom the answer in the channel names: the people it may ping there. */
  readonly mentioned: AllowedMentions;
  /** An answer for the channel (an abort, a pause, a lock…): the channel hears it, as it would have. */
  readonly public: boolean;
}

/** The channel (or thread) the interaction of `entry` was made in. */
export function answerChannelOf(entry: InboxEntry): string {
  const event = entry.event;
  return event.type === 'command' && event.threadId !== undefined ? event.threadId : entry.channel;
}

/**
 * Why an interaction that was never acknowledged was not: `closed` when it was made in a thread a moderator archived
 * and locked (Discord refuses the acknowledgement there), else `missed`. A failed look is `missed`.
 */
export async function whyMissed(rest: REST, entry: InboxEntry): Promise<TokenGone> {
  const channel = (await rest.get(Routes.channel(answerChannelOf(entry))).catch(() => undefined)) as
    | { thread_metadata?: { locked?: boolean } }
    | undefined;
  return channel?.thread_metadata?.locked === true ? 'closed' : 'missed';
}

/**
 * Sends a private answer to the person by direct message, or in the channel where they asked (naming them) when
 * they take none; a public answer goes to that channel, or by direct message when the channel refuses it. Throws
 * when Discord may take it on a later try (5xx, network), so the inbox tries the entry again. Each post carries its
 * entry's nonce: a handling after one that died once Discord took the post does not post it again.
 */
export async function sendLateAnswer(
  deps: LateAnswerDeps,
  entry: InboxEntry,
  message: LateAnswer,
): Promise<void> {
  const { rest, log } = deps;
  const channel = answerChannelOf(entry);
  const where = { user: entry.userId, channel };
  const inChannel = async (mentions: object) =>
    rest.post(Routes.channelMessages(channel), {
      body: { content: message.inChannel, allowed_mentions: mentions, ...answerNonce(entry, 'channel') },
    });
  if (message.public) {
    try {
      // As the follow-up would have: the people the answer names are told.
      await inChannel(message.mentioned);
      return;
    } catch (error) {
      const failed = failedForGood(error, `answer ${entry.userId} in channel ${channel}`);
      log.warn(
        { err: failed.message, ...where },
        'late public Discord answer not taken in the channel; sent by DM',
      );
    }
    try {
      await sendDirectMessage(rest, entry.userId, message.dm, answerNonce(entry, 'dm'));
    } catch (error) {
      const failed = failedForGood(error, `send a direct message to ${entry.userId}`);
      log.error({ err: failed.message, ...where }, 'Discord answer lost');
    }
    return;
  }
  try {
    await sendDirectMessage(rest, entry.userId, message.dm, answerNonce(entry, 'dm'));
    return;
  } catch (error) {
    const failed = failedForGood(error, `send a direct message to ${entry.userId}`);
    log.warn({ err: failed.message, ...where }, 'late Discord answer not taken by DM; said in the channel');
  }
  try {
    await inChannel({ users: [entry.userId] });
  } catch (error) {
    const failed = failedForGood(error, `answer ${entry.userId} in channel ${channel}`);
    log.error({ err: failed.message, ...where }, 'Discord answer lost');
  }
}
