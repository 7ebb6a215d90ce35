/**
 * The timers already due, worked before a process ends for want of its chat (a platform refusing the bot at start):
 * an incident's next page and its PagerDuty event need no chat, so a refused token must not hold paging up until
 * someone fixes it. Done when no timer is due, waiting or running, the outbox has nothing undelivered, and no
 * PagerDuty event those made waits or runs (a page's event is a job of the checks queue: processors/pager-send.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { PAGER_SEND_JOB } from './deliver-incident-effects.ts';
import { readDelayedOverdueMs } from './queue-overdue.ts';
import type { RedisClient } from './redis-client.ts';

export interface DueTimersDeps {
  readonly redis: RedisClient;
  readonly timers: Queue;
  /** The queue PagerDuty events go out on (pager.send jobs, among the health checks). */
  readonly checks: Queue;
  /** True while the outbox has commits not yet delivered (the effects of a page just applied). */
  readonly outboxUndelivered: () => Promise<boolean>;
}

const POLL_MS = 100;
/** The checks queue's jobs looked at for a PagerDuty event (the oldest first; a stopping process has few). */
const PAGER_SCAN = 200;

async function busy(deps: DueTimersDeps): Promise<boolean> {
  if ((await readDelayedOverdueMs(deps.redis, deps.timers, Date.now())) > 0) return true;
  const counts = await deps.timers.getJobCounts('active', 'waiting', 'prioritized');
  if (Object.values(counts).some((n) => n > 0)) return true;
  if (await deps.outboxUndelivered()) return true;
  // A page delivered just now: its PagerDuty event is a job that has not run yet, or waits to be tried again (no
  // process is left to send it; a retry later than the bound is left to the next process).
  const pending = await deps.checks.getJobs(
    ['active', 'waiting', 'prioritized', 'delayed'],
    0,
    PAGER_SCAN - 1,
  );
  return pending.some((job) => job.name === PAGER_SEND_JOB);
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
