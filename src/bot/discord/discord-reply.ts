/**
 * Answers a recorded interaction from whichever process handles its inbox entry, over REST with the interaction
 * token (valid 15 minutes once the interaction was acknowledged): a private answer replaces the deferred one; an
 * answer for the channel is posted as a follow-up once the deferred private one is answered (Discord takes a
 * follow-up right after a deferral as that private message's edit), which is then removed; one longer than a Discord
 * message shows its start and comes whole as a file (answer.txt). When Discord no longer takes the token (the
 * process that received the interaction died before acknowledging it), the answer goes to the person another way
 * (discord-late-answer.ts). An answer for the channel sent again after a handling that died mid-answer is first
 * looked for there (discord-follow-up.ts), so the channel sees it once. A failure Discord may get over (5xx,
 * network, rate limit) is thrown, so the inbox handles the entry again and answers then; other refusals are logged.
 * The inbox handler waits for this process's deferral first (`settledOf`), so an answer never races the
 * acknowledgement.
 */
import { type REST, Routes } from 'discord.js';
import type { Reply } from '../../commands/command.ts';
import {
  type AnswerAttempt,
  defuseMentions,
  type InboxEntry,
  MENTION_RE,
  mapOwnText,
  type NoticeLimit,
  type Redactor,
} from '../../core/index.ts';
import { toChatSendError } from './discord-errors.ts';
import { followUpShown } from './discord-follow-up.ts';
import {
  answerChannelOf,
  lateAnswerText,
  sendLateAnswer,
  tokenGoneOf,
  whyMissed,
} from './discord-late-answer.ts';
import { allowedMentions, answerMessage, answerText } from './discord-message.ts';
import { sendRefusal } from './discord-refusal.ts';
import type { DiscordLog } from './discord-types.ts';

export interface DiscordReplyDeps {
  readonly rest: REST;
  readonly applicationId: string;
  readonly log: DiscordLog;
  readonly redactor?: Redactor;
  /** Caps refusals said in a thread to people who take no direct messages. */
  readonly noticeLimit: NoticeLimit;
}

/**
 * What the person's private "thinking" message says while an answer for the channel is posted; it is deleted once
 * the answer is there (and stays, true, if Discord refuses the deletion).
 */
export const ANSWERED_IN_CHANNEL = '📣 answered in the channel, for everyone there to see';

/** `interaction:<id>` → `<id>`. */
export const interactionIdOf = (entryId: string): string => entryId.replace(/^interaction:/, '');

/** Resolves once this process's deferral of the entry's interaction (if it received it) is done. */
export const settledOf =
  (deferrals: ReadonlyMap<string, Promise<unknown>>) =>
  async (entry: InboxEntry): Promise<void> => {
    await deferrals.get(interactionIdOf(entry.id))?.catch(() => undefined);
  };

/** Creates the reply function the Discord inbox handler uses. */
export function createDiscordReply(
  deps: DiscordReplyDeps,
): (entry: InboxEntry, reply: Reply, attempt?: AnswerAttempt) => Promise<void> {
  const { rest, applicationId, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  return async (entry, reply, attempt = { again: false }) => {
    const token = entry.replyTo;
    const where = { interaction: interactionIdOf(entry.id), user: entry.userId };
    if (token === undefined) {
      // A reaction has no interaction to answer: a refusal goes to the person by direct message, never in public.
      if (reply.visibility === 'ephemeral')
        await sendRefusal({ rest, log, noticeLimit: deps.noticeLimit }, entry, redact(reply.text));
      return;
    }
    // An answer has no runbook at hand: people show by their runbook id, chat users as mentions (those only).
    const textOf = (core: string) =>
      redact(
        mapOwnText(defuseMentions(core), (own) =>
          own.replace(MENTION_RE, (_all, id: string) => (id.startsWith('!') ? `<@${id.slice(1)}>` : id)),
        ),
      );
    const contentOf = (core: string) => answerText(textOf(core));
    const text = textOf(reply.text);
    const { content, files } = answerMessage(text);
    const attached = files.length > 0 && {
      attachments: files.map((f, id) => ({ id, filename: f.name })),
    };
    const original = Routes.webhookMessage(applicationId, token, '@original');
    try {
      if (reply.visibility === 'ephemeral') {
        await rest.patch(original, {
          body: { content, allowed_mentions: { parse: [] }, ...attached },
          files: [...files],
          auth: false,
        });
        return;
      }
      // Right after the deferral, Discord would take the follow-up as the edit of the private "thinking" message (its
      // ephemeral flag kept), and the deletion below would take the answer away from everyone: the deferral is
      // answered first, so the follow-up is a message of its own that the channel sees.
      await rest.patch(original, {
        body: { content: ANSWERED_IN_CHANNEL, allowed_mentions: { parse: [] } },
        auth: false,
      });
      // A handling before this one began to answer and did not see it through: its follow-up may be in the channel.
      const shown = attempt.again && (await followUpShown(rest, answerChannelOf(entry), where.interaction));
      if (!shown)
        await rest.post(Routes.webhook(applicationId, token), {
          body: { content, allowed_mentions: allowedMentions(text), ...attached },
          files: [...files],
          auth: false,
        });
      await rest.delete(original, { auth: false }).catch(() => undefined);
    } catch (error) {
      const gone = tokenGoneOf(error);
      if (gone !== undefined) {
        // The interaction was never acknowledged (its process died first, or Discord refused it in a locked
        // thread) or is older than 15 minutes.
        const why = gone === 'missed' ? await whyMissed(rest, entry) : gone;
        const late = lateAnswerText(entry, reply.text, why);
        const inChannel = textOf(`@{!${entry.userId}} ${late}`);
        await sendLateAnswer({ rest, log }, entry, {
          dm: contentOf(late),
          inChannel: answerText(inChannel),
          mentioned: allowedMentions(inChannel),
          public: reply.visibility === 'channel',
        });
        return;
      }
      const failed = toChatSendError(error, `answer interaction ${where.interaction}`);
      // Discord may take it on a later try: the inbox handles the entry again (what it did takes effect once, and
      // the answer claim was given back), and that handling answers.
      if (failed.kind === 'retry' || failed.kind === 'rate-limited') throw failed;
      // The channel will not see it: the person does, privately, rather than being told it was said there.
      if (reply.visibility === 'channel')
        await rest
          .patch(original, {
            body: { content, allowed_mentions: { parse: [] }, ...attached },
            files: [...files],
            auth: false,
          })
          .catch(() => undefined);
      log.error({ err: failed.message, ...where, advice: LOST_ADVICE }, 'Discord answer lost');
    }
  };
}

/** What is left to do when Discord refuses an answer for good (the log's reader tells the person). */
const LOST_ADVICE =
  'the person still sees "Preflight is thinking…": what they asked was done (the audit log has it); they can see the state with /deploy status, and the error says what Discord refused';
