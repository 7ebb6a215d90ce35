/**
 * Answers a recorded interaction from whichever process handles its inbox entry, over REST with the interaction
 * token (valid 15 minutes): a private answer replaces the deferred one; an answer for the channel is posted as a
 * follow-up and the deferred private one removed. In the process that received the interaction, the answer waits
 * for its deferral, so it never races the acknowledgement.
 */
import { type REST, Routes } from 'discord.js';
import type { Reply } from '../../commands/command.ts';
import { defuseMentions, type InboxEntry, MENTION_RE, mapOwnText, type Redactor } from '../../core/index.ts';
import { toChatSendError } from './discord-errors.ts';
import { answerText } from './discord-message.ts';
import type { DiscordLog } from './discord-types.ts';

export interface DiscordReplyDeps {
  readonly rest: REST;
  readonly applicationId: string;
  readonly log: DiscordLog;
  /** Deferrals under way in this process, by interaction id. */
  readonly deferrals: ReadonlyMap<string, Promise<unknown>>;
  readonly redactor?: Redactor;
}

/** `interaction:<id>` → `<id>`. */
export const interactionIdOf = (entryId: string): string => entryId.replace(/^interaction:/, '');

/** Creates the reply function the Discord inbox handler uses. */
export function createDiscordReply(
  deps: DiscordReplyDeps,
): (entry: InboxEntry, reply: Reply) => Promise<void> {
  const { rest, applicationId, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  const directMessage = async (userId: string, text: string): Promise<void> => {
    try {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      await rest.post(Routes.channelMessages(dm.id), {
        body: { content: answerText(redact(text)), allowed_mentions: { parse: [] } },
      });
    } catch (error) {
      const reason = toChatSendError(error, `send a direct message to ${userId}`).message;
      log.error({ err: reason, user: userId }, 'Discord refusal could not be sent by DM');
    }
  };
  return async (entry, reply) => {
    const token = entry.replyTo;
    const where = { interaction: interactionIdOf(entry.id), user: entry.userId };
    if (token === undefined) {
      // A reaction has no interaction to answer: a refusal goes to the person by direct message, never in public.
      if (reply.visibility === 'ephemeral') await directMessage(entry.userId, reply.text);
      return;
    }
    await deps.deferrals.get(interactionIdOf(entry.id))?.catch(() => undefined);
    // An answer has no runbook at hand: people show by their runbook id, chat users as mentions (those only).
    const text = mapOwnText(defuseMentions(reply.text), (own) =>
      own.replace(MENTION_RE, (_all, id: string) => (id.startsWith('!') ? `<@${id.slice(1)}>` : id)),
    );
    const content = answerText(redact(text));
    const original = Routes.webhookMessage(applicationId, token, '@original');
    try {
      if (reply.visibility === 'ephemeral') {
        await rest.patch(original, { body: { content, allowed_mentions: { parse: [] } }, auth: false });
        return;
      }
      await rest.post(Routes.webhook(applicationId, token), {
        body: { content, allowed_mentions: { parse: ['users'] } },
        auth: false,
      });
      await rest.delete(original, { auth: false }).catch(() => undefined);
    } catch (error) {
      // The token expired (15 minutes) or the deferral never happened (its process died first).
      log.error({ err: (error as Error).message, ...where }, 'Discord answer lost');
    }
  };
}
