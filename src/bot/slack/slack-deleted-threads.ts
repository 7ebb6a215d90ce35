/**
 * Threads whose first message someone deleted on Slack, remembered from Slack's events in Redis (for every process).
 * Slack still takes posts into such a thread (chat.postMessage with its thread_ts answers ok), where nobody looks:
 * the chat port refuses them as a deleted thread instead, and the sender starts the thread anew (new-thread.ts),
 * with the post under the new first message. A first message with replies stays as a tombstone ("This message was
 * deleted.", told as message_changed); one without goes (message_deleted).
 */
import { type NoticeLimit, ThreadClosedError } from '../../core/index.ts';

/** How long a deleted first message is remembered: longer than any deployment or incident goes on. */
export const DELETED_THREAD_MS = 30 * 24 * 60 * 60_000;

const keyOf = (channel: string, ts: string) => `slack:thread-deleted:${channel}:${ts}`;

export interface DeletedThreads {
  remember(channel: string, ts: string): Promise<void>;
  /** Throws a ThreadClosedError naming the thread when its first message was deleted. */
  refuseDeleted(channel: string, threadTs: string, what: string): Promise<void>;
}

export function createDeletedThreads(limit: NoticeLimit): DeletedThreads {
  return {
    async remember(channel, ts) {
      await limit.take(keyOf(channel, ts), DELETED_THREAD_MS);
    },
    async refuseDeleted(channel, threadTs, what) {
      if (await limit.held(keyOf(channel, threadTs)))
        throw new ThreadClosedError(`did not ${what}: the first message of its thread was deleted`, {
          known: true,
          deleted: threadTs,
        });
    },
  };
}

/** A message event's fields that tell of a deletion, read loosely. */
export interface DeletionFields {
  readonly subtype?: string;
  readonly deleted_ts?: string;
  readonly message?: { readonly subtype?: string; readonly ts?: string };
  readonly previous_message?: { readonly ts?: string; readonly thread_ts?: string };
}

/** The ts of the message a message event says was deleted (a first message or a reply); undefined for any other event. */
export function deletedMessage(m: DeletionFields): string | undefined {
  if (m.subtype === 'message_deleted') return m.deleted_ts ?? m.previous_message?.ts;
  return m.subtype === 'message_changed' && m.message?.subtype === 'tombstone' ? m.message.ts : undefined;
}

/** The ts of the thread's first message a message event says was deleted; undefined for any other event. */
export function deletedFirstMessage(m: DeletionFields): string | undefined {
  const ts = deletedMessage(m);
  const thread = m.previous_message?.thread_ts;
  // A reply deleted leaves its thread as it was.
  return ts !== undefined && (thread === undefined || thread === ts) ? ts : undefined;
}
