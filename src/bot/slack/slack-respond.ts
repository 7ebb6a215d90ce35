/**
 * Posts an answer to a response_url and says what came of it: taken, or gone (expired after its 30 minutes, used
 * up after 5 uses, or rate-limited for longer than it has left to live), in which case the person is answered
 * another way. What Slack may take on a later try (5xx, 408, a cut or unanswered post) is thrown for the inbox to
 * try again; a 429 is thrown with its Retry-After, which the inbox waits before it tries again.
 */
import { ChatSendError, type InboxEntry } from '../../core/index.ts';
import { postJson } from './post-json.ts';

/** How long Slack takes answers at a response_url. */
export const RESPONSE_URL_LIFE_MS = 30 * 60_000;
const RESPOND_TIMEOUT_MS = 10_000;
/** Slack's 429 without a Retry-After: a second, as its Web API would say. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** `sent`: Slack took it; `gone`: the response_url takes no more (the reason is in `why`). */
export type Responded = { readonly outcome: 'sent' } | { readonly outcome: 'gone'; readonly why: string };

/** Posts `body` to the entry's response_url. */
export async function respond(
  entry: InboxEntry & { readonly replyTo: string },
  body: Record<string, unknown>,
): Promise<Responded> {
  const answer = await postJson(entry.replyTo, body, RESPOND_TIMEOUT_MS).catch((error: unknown) => {
    // Cut or unanswered: Slack may take it on a later try, at the same response_url (a public answer stays public).
    throw new ChatSendError('retry', `could not reach the response_url: ${(error as Error).message}`);
  });
  const { status } = answer;
  if (status >= 200 && status <= 299) return { outcome: 'sent' };
  if (status === 429) {
    const waitMs = answer.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    const now = Date.now();
    const leftMs = (entry.receivedAt ?? now) + RESPONSE_URL_LIFE_MS - now;
    if (waitMs >= leftMs)
      return {
        outcome: 'gone',
        why: `the response_url is rate-limited for ${Math.ceil(waitMs / 1000)} s, longer than the ${Math.max(0, Math.floor(leftMs / 1000))} s it has left`,
      };
    throw new ChatSendError('rate-limited', 'the response_url answered 429', waitMs);
  }
  if (status >= 500 || status === 408)
    throw new ChatSendError('retry', `the response_url answered ${status}`);
  return { outcome: 'gone', why: `the response_url answered ${status}` };
}
