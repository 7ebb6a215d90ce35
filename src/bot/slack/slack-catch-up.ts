/**
 * Slack's side of the reaction read-back (catch-up-reactions.ts, and a page's before it goes out: ChatPort.reactions):
 * one `reactions.get` per message (the `reactions:read` scope). A 429 is waited out (the client throws it at once); a
 * missing scope is said once, with what to add, and the other prompts are not tried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadBackRefused, type ReadReaction } from '../catch-up-reactions.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import { canonicalEmoji } from './slack-reaction-record.ts';
import type { SlackApi } from './slack-types.ts';

const TRIES = 3;

interface Reaction {
  readonly name?: string;
  readonly users?: readonly string[];
}

/**
 * Reads the people's reactions on one prompt (every emoji on it: one call reads them all); `botUserId` is the bot's
 * own id (its reactions are not answers). The chat port's `reactions` reads through it too (slack-app.ts).
 */
export function slackReactionReader(
  api: Pick<SlackApi, 'apiCall'>,
  botUserId: () => Promise<string | undefined>,
) {
  return async ({ ref }: Pick<OpenPrompt, 'ref'>): Promise<ReadReaction[]> => {
    const answer = await reactionsGet(api, ref.channel, ref.id);
    const bot = await botUserId();
    const message = (answer as { message?: { reactions?: readonly Reaction[] } }).message;
    return (message?.reactions ?? []).flatMap((r) =>
      (r.users ?? [])
        .filter((user) => user !== bot)
        .map((userId) => ({ emoji: canonicalEmoji(r.name ?? ''), userId })),
    );
  };
}

async function reactionsGet(api: Pick<SlackApi, 'apiCall'>, channel: string, timestamp: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.apiCall('reactions.get', { channel, timestamp, full: true });
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number; data?: { error?: string; needed?: string } };
      if (e.data?.error === 'missing_scope' || e.data?.error === 'not_allowed_token_type')
        throw new ReadBackRefused(
          `Slack refused reactions.get (${e.data.error}): add the ${e.data.needed ?? 'reactions:read'} scope to the Slack app (slack-manifest.yaml has it) and reinstall it, or reactions made while Preflight was down are not counted`,
        );
      if (e.code !== 'slack_webapi_rate_limited_error' || attempt >= TRIES) throw error;
      await sleep(Math.max(1, e.retryAfter ?? 1) * 1000);
    }
  }
}
