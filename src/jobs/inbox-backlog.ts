/**
 * The inbox's unhandled entries as timers see them (core/chat/input-first.ts): any process that runs timers, a
 * `preflight worker` too, reads every platform's inbox queue on the shared Redis.
 */
import { type ConnectionOptions, type Job, Queue } from 'bullmq';
import { PLATFORMS, type UnhandledInput } from '../core/index.ts';
import { inboxQueueName } from './chat-inbox-queue.ts';

const UNHANDLED = ['active', 'waiting', 'delayed', 'prioritized'] as const;
/** How many unhandled entries are looked at for their time: a backlog longer than this counts as earlier input. */
const LOOK_AT = 200;
/**
 * An entry waiting for its retry after this many failed handlings holds no timer: one that keeps failing (its
 * retries take minutes) must not hold every step and page that comes due meanwhile. One deferred once (a lock busy
 * for a moment) still does.
 */
const HOLDS_UNTIL_ATTEMPTS = 2;
/** An entry no process has picked for this long is not being handled in the ordinary course. */
const UNPICKED_MS = 5_000;

export interface InboxBacklog extends UnhandledInput {
  close(): Promise<void>;
}

/**
 * Whether an entry holds a timer due at `at`: recorded by then, and either recorded before this process started
 * (its handling may have died with the process that took it; handled again here, it still holds until it is done)
 * or not picked by any process for long. An entry recorded since, and picked, is being applied in the ordinary
 * course (an answer waiting for its channel's turn may take seconds): steps and pages do not wait for it.
 */
const holds = (at: number, startedAt: number, now: number) => (job: Job | undefined) => {
  if (job === undefined || job.timestamp > at || job.attemptsMade >= HOLDS_UNTIL_ATTEMPTS) return false;
  return job.timestamp < startedAt || (job.processedOn === undefined && now - job.timestamp > UNPICKED_MS);
};

/** Reads the inbox queues under `queuePrefix` (BullMQ's prefix) through `connection`. */
export function createInboxBacklog(connection: ConnectionOptions, queuePrefix: string): InboxBacklog {
  const startedAt = Date.now();
  const queues = PLATFORMS.map((p) => new Queue(inboxQueueName(p), { connection, prefix: queuePrefix }));
  for (const q of queues) q.on('error', () => undefined);
  return {
    async recordedBy(at) {
      // One round trip for every platform's counts (sent together on the shared connection); most are empty.
      const counted = await Promise.all(queues.map((q) => q.getJobCounts(...UNHANDLED)));
      for (const [i, queue] of queues.entries()) {
        const total = Object.values(counted[i] ?? {}).reduce((a, n) => a + n, 0);
        if (total === 0) continue;
        if (total > LOOK_AT) return true;
        const jobs = await queue.getJobs([...UNHANDLED], 0, LOOK_AT - 1);
        if (jobs.some(holds(at, startedAt, Date.now()))) return true;
      }
      return false;
    },
    async readBackBy(at) {
      const lists = await Promise.all(queues.map((q) => q.getJobs([...UNHANDLED], 0, LOOK_AT - 1)));
      return lists.some((jobs) =>
        jobs.some(
          (job) =>
            job !== undefined &&
            job.timestamp <= at &&
            job.attemptsMade < HOLDS_UNTIL_ATTEMPTS &&
            (job.data as { event?: { quiet?: boolean } }).event?.quiet === true,
        ),
      );
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
