/**
 * What people said comes before what a clock says. A command, click or reaction the platform was answered for is
 * recorded in the inbox and applied a moment later; if the process that took it dies first, it is applied once
 * another process picks it up, which may be after a step or gate expiry came due meanwhile (the bot was down).
 * A step or a deployment's timer that comes due therefore waits while input recorded before its time is unhandled:
 * a `/deploy abort` or `/deploy pause` answered before a step was due is applied before that step would start, an
 * approval before its gate's expiry. A page never waits (the process may be unable to handle that input; a page
 * re-checks acks itself). It waits at most INPUT_FIRST_MAX_MS past its time, so an entry that keeps failing holds
 * nothing up for long.
 */

/** Chat input recorded and not yet handled (the inbox, read by any process that runs timers). */
export interface UnhandledInput {
  /** Whether an entry recorded at or before `at` (ms since the epoch) is still waiting to be handled. */
  recordedBy(at: number): Promise<boolean>;
  /**
   * Whether a reaction the read-back recorded (the bot was down when it was made) at or before `at` is still to be
   * applied, picked or not: a page due at start waits for it (bot/first-read-backs.ts).
   */
  readBackBy?(at: number): Promise<boolean>;
}

export const INPUT_FIRST_MAX_MS = 60_000;
/** How soon a timer held back looks again. */
export const INPUT_FIRST_RETRY_MS = 250;

/**
 * When a timer due at `due` acts: now (undefined), or it looks again at the time returned because earlier input
 * is still to be applied. A read that fails lets the timer act, as it did before this rule.
 */
export async function holdForInput(
  input: UnhandledInput | undefined,
  due: number,
  now: number,
): Promise<number | undefined> {
  if (!input || now - due > INPUT_FIRST_MAX_MS) return undefined;
  const waiting = await input.recordedBy(due).catch(() => false);
  return waiting ? now + INPUT_FIRST_RETRY_MS : undefined;
}
