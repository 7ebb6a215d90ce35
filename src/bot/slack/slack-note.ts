/**
 * Posts a note to a response_url: what is said to a person outside the inbox (an unknown button, a shortcut, a
 * click that could not be recorded), so no later handling answers for it. Slack's 429 (waited its Retry-After) and
 * its 5xx or 408 took nothing: the note is posted again, a few times at most. A 2xx ends it; any other answer, a cut
 * connection or no answer is given up (said in the log by the caller), as the note may have been shown already.
 */
import { postJson } from './post-json.ts';

const NOTE_TIMEOUT_MS = 10_000;
/** Posts of one note, the first included. */
export const NOTE_TRIES = 4;
/** A 429 asking to wait longer than this is given up: the person has moved on. */
const LONGEST_WAIT_MS = 60_000;
const FIRST_BACKOFF_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once Slack took the note; rejects with why it was given up. */
export async function sendNote(url: string, body: Record<string, unknown>): Promise<void> {
  for (let tries = 1; ; tries++) {
    const { status, retryAfterMs } = await postJson(url, body, NOTE_TIMEOUT_MS);
    if (status >= 200 && status <= 299) return;
    const again = status === 429 || status === 408 || status >= 500;
    const waitMs = status === 429 ? (retryAfterMs ?? 1_000) : FIRST_BACKOFF_MS * 2 ** (tries - 1);
    if (!again || tries >= NOTE_TRIES || waitMs > LONGEST_WAIT_MS)
      throw new Error(`the response_url answered ${status} (try ${tries} of ${NOTE_TRIES})`);
    await sleep(waitMs);
  }
}
