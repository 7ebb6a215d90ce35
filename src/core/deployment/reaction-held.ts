/**
 * The ✅ that hold an approval or a tick given by a ✅: the one that gave it, and the same person's ✅ on another
 * message that asks for the same (a gate's reminder asks for its gate, a message posted again asks for what the first
 * one did), put there while it counted ("already counted"). It stands while any of them is still on; the last one
 * taken off withdraws it (reaction-gave.ts). Kept in the deployment, so a restart and the read-back of reactions
 * (bot/open-prompts.ts) see the same.
 */

/** A ✅ that holds an approval or a tick: the message it is on, and when it was put there (counted). */
export interface HeldOn {
  readonly onMessage: string;
  readonly at: number;
}

/** An approval or a tick as kept: how it was given (`onMessage`: by a ✅ there) and the ✅ that hold it now. */
export interface GivenByReaction {
  readonly at?: number;
  readonly onMessage?: string;
  /**
   * The ✅ that hold it, once a ✅ on a second message counted it too (absent: the ✅ on `onMessage` alone, put there
   * at `at`). Never empty: the last one taken off withdraws it.
   */
  readonly heldOn?: readonly HeldOn[];
}

/** The ✅ that hold it now; none for one given by a button or a command. */
export function reactionsHolding(given: GivenByReaction): readonly HeldOn[] {
  if (given.heldOn !== undefined) return given.heldOn;
  return given.onMessage !== undefined && given.at !== undefined
    ? [{ onMessage: given.onMessage, at: given.at }]
    : [];
}

/** Whether a ✅ on `message` is one of those that hold it. */
export const heldBy = (given: GivenByReaction, message: string): boolean =>
  reactionsHolding(given).some((h) => h.onMessage === message);

/**
 * It, also held by the person's ✅ on `onMessage` (put there at `at`, and answered "already counted"); undefined when
 * that changes nothing: it was given by a button or a command (which no ✅ taken off withdraws), the ✅ came from no
 * known message, or it holds it already.
 */
export function alsoHeldOn<T extends GivenByReaction>(
  given: T,
  onMessage: string | undefined,
  at: number,
): T | undefined {
  if (onMessage === undefined || given.onMessage === undefined || heldBy(given, onMessage)) return undefined;
  return { ...given, heldOn: [...reactionsHolding(given), { onMessage, at }] };
}

/**
 * It, once the ✅ on `onMessage` is taken off, when another ✅ of the person still holds it; undefined when that ✅
 * does not hold it or was the last that did (taking it off withdraws it).
 */
export function heldWithout<T extends GivenByReaction>(given: T, onMessage: string): T | undefined {
  if (!heldBy(given, onMessage)) return undefined;
  const rest = reactionsHolding(given).filter((h) => h.onMessage !== onMessage);
  return rest.length > 0 ? { ...given, heldOn: rest } : undefined;
}
