/**
 * Handles one inbox entry (core/chat/chat-inbox.ts) with the dispatcher: what every chat adapter plugs into
 * `chat.inbox.serve(platform, …)`, with its own way of answering the person.
 */
import type { Reply } from '../commands/command.ts';
import {
  type AnswerAttempt,
  type AnswerOnce,
  type InboxEntry,
  type InboxHandling,
  InboxRetry,
} from '../core/index.ts';
import type { Dispatcher } from './dispatch.ts';

export interface InboxHandlerDeps {
  readonly dispatcher: Dispatcher;
  /** Answers a command or a click (Slack: its response_url); `attempt` says whether an earlier send may have gone. */
  readonly reply: (entry: InboxEntry, reply: Reply, attempt: AnswerAttempt) => Promise<void>;
  /**
   * Resolves once this process's acknowledgement of the entry (Discord: its deferral) is settled: the answer waits
   * for it before it claims the answer, so a process that dies before acknowledging never holds that claim.
   */
  readonly settled?: (entry: InboxEntry) => Promise<void>;
}

/** Creates the handler; it throws InboxRetry for a reaction on a message whose post is not confirmed yet. */
export function createInboxHandler(
  deps: InboxHandlerDeps,
): (entry: InboxEntry, answerOnce?: AnswerOnce, handling?: InboxHandling) => Promise<void> {
  const { dispatcher } = deps;
  return async (entry, answerOnce = (send) => send({ again: false }), handling = { last: true }) => {
    const answer = async (reply: Reply) => {
      await deps.settled?.(entry);
      await answerOnce((attempt) => deps.reply(entry, reply, attempt));
    };
    // The entry may be handled again (its process died before the inbox heard it was done): its id goes with it.
    const from = {
      platform: entry.platform,
      userId: entry.userId,
      channel: entry.channel,
      request: `${entry.platform}:${entry.id}`,
    };
    const event = entry.event;
    switch (event.type) {
      case 'command': {
        const thread = event.threadId !== undefined ? { threadId: event.threadId } : {};
        const reply = await dispatcher.command({ ...from, ...thread, text: event.text });
        if (reply) await answer(reply);
        return;
      }
      case 'button': {
        const reply = await dispatcher.button({
          ...from,
          action: event.action,
          value: event.value,
          ...(event.text !== undefined && { text: event.text }),
          ...(event.messageId !== undefined && { messageId: event.messageId }),
          // Its last handling answers a failure instead: after it, nothing would.
          retried: !handling.last,
        });
        if (reply) await answer(reply);
        return;
      }
      case 'reaction': {
        const { messageId, emoji, added, at, ours, unnamed, quiet } = event;
        const { pending, refusal } = await dispatcher.reaction({
          ...from,
          messageId,
          emoji,
          added,
          ...(at !== undefined && { at }),
          ...(quiet && { quiet }),
          ...(ours !== undefined && { ours }),
          ...(unnamed && { unnamed }),
        });
        // The message may be a post still being confirmed (its process died before saving it): look again shortly.
        if (pending && !handling.last) throw new InboxRetry(`message ${messageId} is not known (yet)`);
        if (refusal && quiet !== true) await answer(refusal);
        return;
      }
      case 'thread-message':
        return dispatcher.threadMessage({
          ...from,
          threadId: event.threadId,
          text: event.text,
          ...(event.at !== undefined && { at: event.at }),
        });
      case 'message-deleted':
        return dispatcher.messageDeleted({ ...from, messageId: event.messageId });
    }
  };
}
