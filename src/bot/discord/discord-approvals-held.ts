/**
 * Which ✅ each person has on a message: a normal one, a super one (Discord's burst reaction), or both. Discord
 * keeps the two apart, so a person may have both, and taking one off leaves the other, which still approves: that
 * removal withdraws nothing. Kept from the gateway's reactions as this process hears them (their payload says
 * `burst`) and from the read-back after a gap (discord-catch-up.ts), which reads each kind; a person this process
 * knows nothing of is taken to have had only the ✅ taken off.
 */

/** Messages remembered; the oldest heard of is forgotten first (a removal there then withdraws, as before). */
const KEPT = 2_000;

/** The ✅ one person has on one message. */
export interface ApprovalKinds {
  normal: boolean;
  burst: boolean;
}

interface Held extends ApprovalKinds {
  /** When it was last told (HeldApprovals.now): a read-back begun before then is older news. */
  seq: number;
}

export interface HeldApprovals {
  /** A ✅ of one kind added or taken off, heard from the gateway. */
  heard(messageId: string, userId: string, burst: boolean, added: boolean): void;
  /** A mark to take before a read-back reads a message, and to give `read` with what it found. */
  now(): number;
  /**
   * All ✅ a read-back begun at `since` found on a message, by person: what it says replaces what was known before
   * it began (a person not in it has none), and leaves alone what the gateway said since.
   */
  read(messageId: string, since: number, found: ReadonlyMap<string, ApprovalKinds>): void;
  /** Whether the person has a ✅ of either kind on the message still, as far as this process knows. */
  holds(messageId: string, userId: string): boolean;
}

export function createHeldApprovals(kept: number = KEPT): HeldApprovals {
  const messages = new Map<string, Map<string, Held>>();
  let seq = 0;
  const on = (messageId: string) => {
    const people = messages.get(messageId) ?? new Map<string, Held>();
    messages.delete(messageId);
    messages.set(messageId, people);
    if (messages.size > kept) messages.delete(messages.keys().next().value as string);
    return people;
  };
  return {
    heard(messageId, userId, burst, added) {
      const people = on(messageId);
      const held = people.get(userId) ?? { normal: false, burst: false, seq: 0 };
      if (burst) held.burst = added;
      else held.normal = added;
      held.seq = ++seq;
      people.set(userId, held);
    },
    now: () => ++seq,
    read(messageId, since, found) {
      const people = on(messageId);
      for (const [userId, held] of people)
        if (held.seq < since && !found.has(userId))
          Object.assign(held, { normal: false, burst: false, seq: since });
      for (const [userId, kinds] of found) {
        const held = people.get(userId);
        if (held === undefined || held.seq < since) people.set(userId, { ...kinds, seq: since });
      }
    },
    holds(messageId, userId) {
      const held = messages.get(messageId)?.get(userId);
      return held !== undefined && (held.normal || held.burst);
    },
  };
}
