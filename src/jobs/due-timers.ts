/**
 * The timers already due, worked before a process ends for want of its chat (a platform refusing the bot at start):
 * an incident's next page and its PagerDuty event need no chat, so a refused token must not hold paging up until
 * someone fixes it. Done when no timer is due, waiting or running and the outbox has nothing undelivered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { readDelayedOverdueMs } from './queue-overdue.ts';
import type { RedisClient } from './redis-client.ts';

export interface DueTimersDeps {
  readonly redis: RedisClient;
  readonly timers: Queue;
  /** True while the outbox has commits not yet delivered (the effects of a page just applied). */
  readonly outboxUndelivered: () => Promise<boolean>;
}

const POLL_MS = 100;

async function busy(deps: DueTimersDeps): Promise<boolean> {
  if ((await readDelayedOverdueMs(deps.redis, deps.timers, Date.now())) > 0) return true;
  const counts = await deps.timers.getJobCounts('active', 'waiting', 'prioritized');
  if (Object.values(counts).some((n) => n > 0)) return true;
  return deps.outboxUndelivered();
}

/** Waits until the due timers are worked, `withinMs` at most; false when some were left (the next process works them). */
export async function workDueTimers(deps: DueTimersDeps, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  // Twice quiet in a row: a timer's job ends just before the relay reads its commit.
  let quiet = 0;
  while (Date.now() < until) {
    quiet = (await busy(deps)) ? 0 : quiet + 1;
    if (quiet >= 2) return true;
    await sleep(POLL_MS);
  }
  return false;
}
