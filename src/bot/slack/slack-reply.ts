/**
 * Answers a recorded command or click: through its response_url (valid for 30 minutes, 5 uses), or, when that
 * is expired or used up, as an ephemeral message, so the person hears back whichever process handled the entry. A
 * response_url that fails (5xx, cut, no answer) is thrown: the inbox handles the entry again (what it did takes
 * effect once, and that handling answers as the first would have), and a public answer stays public. A refused
 * reaction has no response_url: it is answered with an ephemeral message in the reacted message's thread. An
 * ephemeral message Slack fails (5xx, network, rate limit) is thrown, so the inbox handles the entry again.
 */
import type { Reply } from '../../commands/command.ts';
import { ChatSendError, defuseMentions, type InboxEntry, type Redactor } from '../../core/index.ts';
import { postJson } from './post-json.ts';
import { buildSlackMessage } from './slack-blocks.ts';
import { toChatSendError } from './slack-errors.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

const RESPOND_TIMEOUT_MS = 10_000;

export interface SlackReplyDeps {
  readonly api: SlackApi;
  readonly log: SlackLog;
  readonly redactor?: Redactor;
}

/** Creates the reply function the Slack inbox handler uses. */
export function createSlackReply(deps: SlackReplyDeps): (entry: InboxEntry, reply: Reply) => Promise<void> {
  const { api, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;
  return async (entry, reply) => {
    // An answer mentions nobody: a `<@U…>` in it came from what someone typed.
    const built = buildSlackMessage({ text: defuseMentions(redact(reply.text)) }, { overflow: 'cut' });
    const where = { channel: entry.channel, user: entry.userId };
    const privately = (thread?: string) =>
      api
        .apiCall('chat.postEphemeral', {
          ...where,
          text: built.text,
          blocks: built.blocks,
          ...(thread !== undefined && { thread_ts: thread }),
        })
        .then(
          () => undefined,
          (error: unknown) => {
            const failed = toChatSendError(error, `answer ${entry.userId} in ${entry.channel}`);
            // Slack having a bad moment: the inbox handles the entry again (what it did takes effect once, its
            // refusal is recorded once, and the answer claim was given back), and that handling answers.
            if (failed.kind === 'retry' || failed.kind === 'rate-limited') throw failed;
            log.error({ err: failed.message, ...where }, 'reply lost');
          },
        );
    if (reply.thread !== undefined && reply.visibility === 'ephemeral') {
      await privately(reply.thread);
      return;
    }
    if (entry.replyTo === undefined) {
      await privately();
      return;
    }
    const status = await postJson(
      entry.replyTo,
      {
        response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
        replace_original: false,
        text: built.text,
        blocks: [...built.blocks],
      },
      RESPOND_TIMEOUT_MS,
    ).catch((error: unknown) => {
      // Cut or unanswered: Slack may take it on a later try, at the same response_url (a public answer stays public).
      throw new ChatSendError('retry', `could not reach the response_url: ${(error as Error).message}`);
    });
    if (status >= 200 && status <= 299) return;
    if (status >= 500 || status === 408 || status === 429)
      throw new ChatSendError('retry', `the response_url answered ${status}`);
    // An expired or used-up response_url: the person still gets the answer, privately.
    log.warn({ err: `response_url answered ${status}`, ...where }, 'respond failed; answering ephemerally');
    await privately();
  };
}
