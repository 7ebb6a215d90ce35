/** Slack doing a post whose answer never reaches the bot. */
import type { FakeSlackApi } from './fake-slack-api.ts';

/**
 * The next post at the top of `channel` (not in a thread) is made, and Slack answers it 500: the bot does not know
 * it was posted. Returns whether that happened yet.
 */
export function loseNextRootPostAnswer(fake: FakeSlackApi, channel: string): () => boolean {
  let lost = false;
  fake.beforeAnswer(({ method, params }) => {
    if (lost || method !== 'chat.postMessage' || params.channel !== channel || params.thread_ts) return;
    lost = true;
    return { status: 500 };
  });
  return () => lost;
}
