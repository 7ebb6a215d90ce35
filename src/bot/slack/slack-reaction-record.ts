/**
 * A reaction as the inbox records it: one way for Bolt's reaction listeners (slack-listeners.ts) and for the ingress
 * thread that records plain reactions ahead of the bot's own work (slack-plain-reaction.ts).
 */
import type { InboxEntry } from '../../core/index.ts';

/** The fields of a reaction_added or reaction_removed event Preflight reads. */
export interface ReactionEventFields {
  readonly user: string;
  readonly reaction: string;
  readonly item: unknown;
  readonly item_user?: string;
  readonly event_ts?: string;
}

/** `+1::skin-tone-3` → `+1`: the tone does not change what a reaction means. */
export function canonicalEmoji(reaction: string): string {
  return reaction.replace(/::skin-tone-\d$/, '');
}

/** Slack's `event_ts` ("1764751234.000200") in microseconds, exactly (no floating point). */
export function microsOf(ts: string | undefined): number | undefined {
  const match = ts === undefined ? null : /^(\d{1,12})\.(\d{1,6})$/.exec(ts);
  if (!match) return undefined;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/**
 * The inbox entry of a reaction, keyed by its event id (a redelivery is the same entry); undefined when it is on
 * anything but a message (a file, a file comment): nothing Preflight asks is answered there.
 */
export function reactionEntry(
  event: ReactionEventFields,
  eventId: string,
  added: boolean,
  botUserId: string | undefined,
): InboxEntry | undefined {
  const item = event.item as { type?: string; channel?: string; ts?: string };
  if (item.type !== 'message' || !item.channel || !item.ts) return undefined;
  const at = microsOf(event.event_ts);
  return {
    platform: 'slack',
    id: eventId,
    userId: event.user,
    channel: item.channel,
    event: {
      type: 'reaction',
      messageId: item.ts,
      emoji: canonicalEmoji(event.reaction),
      added,
      ...(at !== undefined && { at }),
      // Who wrote the message: a ✅ on a person's message is nothing to Preflight, on its own it is an answer.
      ...(event.item_user !== undefined &&
        botUserId !== undefined && { ours: event.item_user === botUserId }),
    },
  };
}
