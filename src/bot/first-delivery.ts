/** Tells a reaction's first delivery from its others, where the platform gives a reaction no id (ReactionClaims). */
import type { Platform, ReactionClaims } from '../core/index.ts';

/**
 * How long a reaction's first delivery keeps the others from answering: past any delay between two bots' gateway
 * sessions, replays after a resume included. The person's reaction the other way ends it sooner.
 */
const CLAIM_MS = 5 * 60_000;

/**
 * Whether this is the first delivery of the reaction: the first request to claim it (or that request handled again).
 * A reaction the other way ends the claim of this one, so the same reaction made again is a first delivery again.
 */
export async function claimFirstDelivery(
  claims: ReactionClaims | undefined,
  input: {
    readonly platform: Platform;
    readonly userId: string;
    readonly channel: string;
    readonly request?: string;
    readonly messageId: string;
    readonly emoji: string;
    readonly added: boolean;
    readonly at?: number;
    readonly unnamed?: true;
  },
): Promise<boolean> {
  if (!claims || !input.unnamed || input.request === undefined || input.at === undefined) return true;
  const key = (added: boolean) =>
    [
      input.platform,
      input.channel,
      input.messageId,
      input.userId,
      input.emoji,
      added ? 'added' : 'removed',
    ].join(':');
  await claims.release(key(!input.added), input.at);
  return claims.claim(key(input.added), input.request, input.at, CLAIM_MS);
}
