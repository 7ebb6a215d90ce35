/**
 * A page due at start (the bot was down when it came due) waits for what people answered meanwhile: until the first
 * read-back of reactions of every chat platform this process connects to, and of every bot started meanwhile
 * (a worker reads no chat: redis-read-back-mark.ts), has ended, and the reactions it recorded
 * have been applied (an acknowledgement by 👀 stops the page). Bounded from start (bot/first-read-backs.ts), so a
 * platform that cannot be read never keeps the page back for long; the page re-reads its incident afterwards.
 */
import { INPUT_FIRST_RETRY_MS } from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** When a page due now acts: now (undefined), or it looks again at the time returned. */
export async function readBackFirst(deps: ProcessorDeps, now: number): Promise<number | undefined> {
  // A read that fails (Redis away) lets the page go, as it did before this rule.
  const wait = await Promise.resolve(deps.chat?.readBack?.()).catch(() => undefined);
  if (!wait) return undefined;
  if (wait.platforms.length > 0) return now + INPUT_FIRST_RETRY_MS;
  if (wait.endedAt === undefined || !deps.input?.readBackBy) return undefined;
  const applying = await deps.input.readBackBy(wait.endedAt).catch(() => false);
  return applying ? now + INPUT_FIRST_RETRY_MS : undefined;
}
