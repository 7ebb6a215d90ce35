/**
 * A look-alike reaction's answer (`LookAlikeReaction`) is said once per person, message and emoji: a ✔️ taken off
 * and put on again, or a second bot's delivery of it, is not told twice. The same request handled again (its process
 * died before the answer left) is still answered: it marks the notice it took.
 */
import type { NoticeLimit, Platform } from '../core/index.ts';

/** Longer than any gate or incident waits for its answer. */
const LOOK_ALIKE_MS = 30 * 86_400_000;

export interface LookAlikeSeen {
  readonly platform: Platform;
  readonly channel: string;
  readonly messageId: string;
  readonly userId: string;
  readonly emoji: string;
  readonly request?: string;
}

/** True when this reaction's look-alike answer is to be said: the first for its person, message and emoji. */
export async function firstLookAlikeAnswer(
  limit: NoticeLimit | undefined,
  seen: LookAlikeSeen,
): Promise<boolean> {
  if (!limit) return true;
  const key = ['look-alike', seen.platform, seen.channel, seen.messageId, seen.userId, seen.emoji].join(':');
  const mine = seen.request !== undefined ? `${key}:by:${seen.request}` : undefined;
  if (mine !== undefined && (await limit.held(mine))) return true;
  if (!(await limit.take(key, LOOK_ALIKE_MS))) return false;
  if (mine !== undefined) await limit.take(mine, LOOK_ALIKE_MS);
  return true;
}
