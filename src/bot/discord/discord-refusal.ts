/**
 * A refused reaction, told to its person: Discord has no private reply to a reaction, so by direct message. One
 * who takes none (Discord 50007) is told in the thread of the message they reacted to, naming only them, at most
 * once per person, message and refusal in NOTICE_MS (a NoticeLimit in Redis, shared by every process), so
 * reacting again and again cannot make Preflight fill a channel. The limit is taken before the post, so two
 * processes never both post, and given back when the post fails, so the refusal is not lost for NOTICE_MS. A DM or
 * post that Discord fails (5xx, network) is thrown: the inbox handles the reaction again and sends it then.
 */
import { createHash } from 'node:crypto';
import { type REST, Routes } from 'discord.js';
import type { InboxEntry, NoticeLimit } from '../../core/index.ts';
import { answerNonce, failedForGood, sendDirectMessage } from './discord-direct.ts';
import { answerText, CONTENT_LIMIT } from './discord-message.ts';
import type { DiscordLog } from './discord-types.ts';

/** How long a refusal said in a thread keeps the same one from being said there again. */
export const NOTICE_MS = 10 * 60_000;

export interface RefusalDeps {
  readonly rest: REST;
  readonly log: DiscordLog;
  readonly noticeLimit: NoticeLimit;
}

const WHY_HERE =
  '(said here because Discord does not let Preflight send you direct messages: allow direct messages from this server in its Privacy Settings to get these privately)';

/**
 * The refusal said in the thread: the mention and why it is said there stay whole, the refusal is cut to what is
 * left of Discord's 2,000 characters.
 */
function refusalInThread(user: string, refusal: string): string {
  const mention = `<@${user}> `;
  return `${mention}${answerText(refusal, CONTENT_LIMIT - mention.length - WHY_HERE.length - 1)} ${WHY_HERE}`;
}

/** Sends `refusal` (Preflight's text, redacted) about the reaction `entry` to its person. */
export async function sendRefusal(deps: RefusalDeps, entry: InboxEntry, refusal: string): Promise<void> {
  const { rest, log } = deps;
  const user = entry.userId;
  const text = answerText(refusal);
  try {
    await sendDirectMessage(rest, user, text, answerNonce(entry, 'dm'));
    return;
  } catch (error) {
    // Discord having a bad moment says nothing of the person's settings: the refusal stays private, and the inbox
    // handles the reaction again (its refusal is recorded once) so the DM goes out once Discord is back.
    const failed = failedForGood(error, `send a direct message to ${user}`);
    log.warn({ err: failed.message, user }, 'Discord refusal not taken by DM; said in the thread');
  }
  const event = entry.event;
  const messageId = event.type === 'reaction' ? event.messageId : undefined;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const hold = await deps.noticeLimit.take(
    `refusal:discord:${user}:${messageId ?? entry.channel}:${digest}`,
    NOTICE_MS,
  );
  if (!hold) return;
  try {
    await rest.post(Routes.channelMessages(entry.channel), {
      body: {
        content: refusalInThread(user, refusal),
        allowed_mentions: { users: [user], replied_user: false },
        ...(messageId !== undefined && {
          message_reference: { message_id: messageId, fail_if_not_exists: false },
        }),
      },
    });
  } catch (error) {
    // Not said: the next handling (or reaction) may say it, rather than nothing for NOTICE_MS.
    await hold
      .giveBack()
      .catch((err: unknown) => log.warn({ err, user }, 'Discord refusal notice not given back'));
    const failed = failedForGood(error, `tell ${user} in channel ${entry.channel}`);
    log.error({ err: failed.message, user, channel: entry.channel }, 'Discord refusal could not be sent');
  }
}
