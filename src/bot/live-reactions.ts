/**
 * The reactions this process heard live, by message, emoji and person, with when each was made (µs, the entry's
 * `at`). The read-back after a gap (catch-up-reactions.ts) dates what it finds of a reaction heard live since the
 * gap ended before those live ones: they say its latest in order, and a read-back entry dated after them would
 * overtake them, so the person who made them would never be answered.
 */
import type { ChatInbox, InboxEntry } from '../core/index.ts';

/** Reactions remembered; the oldest heard of is forgotten first (the read-back then records it, as before). */
const KEPT = 2_000;

export interface LiveReactions {
  /** An inbox that notes each live reaction it records (one read back is not live). */
  hearing(inbox: Pick<ChatInbox, 'record'>): Pick<ChatInbox, 'record'>;
  /** Whether a live reaction with `emoji` by `userId` on `messageId` made at or after `since` (µs) was heard. */
  heardSince(messageId: string, emoji: string, userId: string, since: number): boolean;
}

export function createLiveReactions(kept: number = KEPT): LiveReactions {
  const heard = new Map<string, number>();
  const keyOf = (messageId: string, emoji: string, userId: string) => `${messageId}:${emoji}:${userId}`;
  const note = (entry: InboxEntry) => {
    const { event } = entry;
    if (event.type !== 'reaction' || event.quiet === true || event.at === undefined) return;
    const key = keyOf(event.messageId, event.emoji, entry.userId);
    const at = Math.max(event.at, heard.get(key) ?? 0);
    heard.delete(key);
    heard.set(key, at);
    if (heard.size > kept) heard.delete(heard.keys().next().value as string);
  };
  return {
    hearing: (inbox) => ({
      record(entry) {
        note(entry);
        return inbox.record(entry);
      },
    }),
    heardSince: (messageId, emoji, userId, since) =>
      (heard.get(keyOf(messageId, emoji, userId)) ?? Number.NEGATIVE_INFINITY) >= since,
  };
}
