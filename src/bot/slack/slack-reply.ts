/**
 * Answers a recorded command or click: through its response_url (valid for 30 minutes, 5 uses), or, when that is
 * expired, used up or rate-limited for longer than it lasts (slack-respond.ts), saying what came of it: an answer
 * meant for the channel in the channel (through the send queue), one for the person alone privately (an ephemeral
 * message in the channel, or a direct message where Preflight cannot whisper there), so the person hears back
 * whichever process handled the entry. A response_url that fails (5xx, cut, no answer) is thrown: the inbox
 * handles the entry again (what it did takes effect once, and that handling answers as the first would have), and
 * a public answer stays public. A refused reaction has no response_url: it is answered with an ephemeral message
 * in the reacted message's thread, or by direct message where the channel refuses that for good (Preflight not in
 * it, the person not in it). A direct message keeps the channel's pace with the chat port's posts. An ephemeral
 * message or direct message Slack fails (5xx, network, rate limit) is thrown, so the inbox handles the entry again
 * (after a 429's Retry-After), and the answer is sent once.
 */
import type { Reply } from '../../commands/command.ts';
import {
  type AnswerAttempt,
  type ChatDelivery,
  ChatSendError,
  defuseMentions,
  type InboxEntry,
  lateAnswerDelivery,
  type Redactor,
} from '../../core/index.ts';
import { whatWasDone } from '../what-was-done.ts';
import type { ChannelPacer } from './channel-pacer.ts';
import { buildSlackMessage } from './slack-blocks.ts';
import { toChatSendError } from './slack-errors.ts';
import { respond } from './slack-respond.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

export interface SlackReplyDeps {
  readonly api: SlackApi;
  readonly log: SlackLog;
  readonly redactor?: Redactor;
  /** The direct-message channel with a person (conversations.open), for an answer the channel cannot carry. */
  readonly directChannel: (userId: string) => Promise<string>;
  /** The per-channel pace the chat port's posts keep: a direct message takes its turn on it. */
  readonly pacer: ChannelPacer;
  /** Queues a post in the chat send queue: a late answer meant for the channel goes there. */
  readonly queueAnswer?: (delivery: ChatDelivery) => Promise<void>;
  /** The runbook's name for a channel id, which the send queue keys that channel's posts by (slack-queue-channel.ts). */
  readonly queueChannelOf?: (channelId: string) => Promise<string | undefined>;
}

/** Creates the reply function the Slack inbox handler uses. */
export function createSlackReply(
  deps: SlackReplyDeps,
): (entry: InboxEntry, reply: Reply, attempt?: AnswerAttempt) => Promise<void> {
  const { api, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  const sent = (entry: InboxEntry, what: string, call: Promise<unknown>) =>
    call.then(
      () => true,
      (error: unknown) => {
        const failed = toChatSendError(error, what);
        // Slack having a bad moment: the inbox handles the entry again (what it did takes effect once, its
        // refusal is recorded once, and the answer claim was given back), and that handling answers.
        if (failed.kind === 'retry' || failed.kind === 'rate-limited') throw failed;
        log.warn({ err: failed.message, channel: entry.channel, user: entry.userId }, 'Slack answer refused');
        return false;
      },
    );
  return async (entry, reply, attempt = { again: false }) => {
    const where = { channel: entry.channel, user: entry.userId };
    // An answer mentions nobody: a `<@U…>` in it came from what someone typed.
    const build = (text: string) =>
      buildSlackMessage({ text: defuseMentions(redact(text)) }, { overflow: 'cut' });
    const built = build(reply.text);
    const privately = (message: typeof built, thread?: string) =>
      sent(
        entry,
        `answer ${entry.userId} in ${entry.channel}`,
        api.apiCall('chat.postEphemeral', {
          ...where,
          text: message.text,
          blocks: message.blocks,
          ...(thread !== undefined && { thread_ts: thread }),
        }),
      );
    // Where Preflight cannot whisper in the channel (not in it, the person not in it): by direct message.
    const directly = async (message: typeof built) => {
      const dm = await deps.directChannel(entry.userId).catch((error: unknown) => {
        if (error instanceof ChatSendError && error.kind !== 'retry' && error.kind !== 'rate-limited')
          return undefined;
        throw error;
      });
      const what = `send a direct message to ${entry.userId}`;
      // A burst of refusals to one person would otherwise reach Slack at once, and Slack answers 429.
      if (dm !== undefined) await deps.pacer.turn(dm, 'post');
      const told =
        dm !== undefined &&
        (await sent(
          entry,
          what,
          api.apiCall('chat.postMessage', { channel: dm, text: message.text, blocks: message.blocks }),
        ));
      if (!told) log.error({ ...where, advice: LOST_ADVICE }, 'reply lost');
    };
    if (reply.thread !== undefined && reply.visibility === 'ephemeral') {
      if (!(await privately(built, reply.thread))) await directly(built);
      return;
    }
    if (entry.replyTo === undefined) {
      if (!(await privately(built))) await directly(built);
      return;
    }
    // Sent again after a send that may have reached the person (Slack took it and answered too late): a command's
    // answer replaces the one its response_url showed, so it shows once; a click's cannot (its original is the
    // message clicked), so it says it is the same answer again.
    const command = entry.event.type === 'command';
    const answer = attempt.again && !command ? build(`${AGAIN}${reply.text}`) : built;
    const responded = await respond(
      { ...entry, replyTo: entry.replyTo },
      {
        response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
        replace_original: attempt.again && command,
        text: answer.text,
        blocks: [...answer.blocks],
      },
    );
    if (responded.outcome === 'sent') return;
    // Expired (30 minutes), used up, or rate-limited past its life. An answer for the channel goes to the channel,
    // naming the person, through the send queue (in the channel's queue, paced with its posts, kept until sent); one for the
    // person alone is told them privately, in the channel where they asked or by direct message.
    log.warn({ err: responded.why, ...where }, 'respond failed; answering late');
    const lateText = lateAnswerText(entry, reply.text);
    if (reply.visibility === 'channel' && deps.queueAnswer) {
      const privateText = defuseMentions(redact(lateText));
      const queueChannel = await deps.queueChannelOf?.(entry.channel);
      await deps.queueAnswer(
        lateAnswerDelivery({
          platform: 'slack',
          entryId: entry.id,
          channel: entry.channel,
          ...(queueChannel !== undefined && { queueChannel }),
          userId: entry.userId,
          inChannel: `@{!${entry.userId}} ${privateText}`,
          privately: privateText,
        }),
      );
      return;
    }
    const late = build(lateText);
    if (!(await privately(late))) await directly(late);
  };
}

/** The answer's text (core text) for a person whose response_url Slack no longer takes. */
export function lateAnswerText(entry: InboxEntry, answer: string): string {
  return `⚠️ Slack no longer takes Preflight's answer to ${whatWasDone(entry.event)} (its reply link lasts 30 minutes), so here is what came of it (no need to do it again): ${answer}`;
}

/** Opens a click's answer sent again after a send that may have reached the person. */
export const AGAIN =
  "🔁 Preflight's answer again (Slack did not confirm the first; nothing was done twice): ";

/** What is left to do when no way reaches the person (the log's reader tells them). */
const LOST_ADVICE =
  'the audit log has what came of what they asked (done, or refused): tell them, or they can see the state with /deploy status; the error above says what Slack refused';
