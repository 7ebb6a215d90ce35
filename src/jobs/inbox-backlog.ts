/**
 * The inbox's unhandled entries as timers see them (core/chat/input-first.ts): any process that runs timers, a
 * `preflight worker` too, reads every platform's inbox queue on the shared Redis.
 */
import { type ConnectionOptions, Queue } from 'bullmq';
import { PLATFORMS, type UnhandledInput } from '../core/index.ts';
import { inboxQueueName } from './chat-inbox-queue.ts';

const UNHANDLED = ['active', 'waiting', 'delayed', 'prioritized'] as const;
/** How many unhandled entries are looked at for their time: a backlog longer than this counts as earlier input. */
const LOOK_AT = 200;

export interface InboxBacklog extends UnhandledInput {
  close(): Promise<void>;
}

/** Reads the inbox queues under `queuePrefix` (BullMQ's prefix) through `connection`. */
export function createInboxBacklog(connection: ConnectionOptions, queuePrefix: string): InboxBacklog {
  const queues = PLATFORMS.map((p) => new Queue(inboxQueueName(p), { connection, prefix: queuePrefix }));
  for (const q of queues) q.on('error', () => undefined);
  return {
    async recordedBy(at) {
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...UNHANDLED);
        const total = Object.values(counts).reduce((a, n) => a + n, 0);
        if (total === 0) continue;
        if (total > LOOK_AT) return true;
        const jobs = await queue.getJobs([...UNHANDLED], 0, LOOK_AT - 1);
        if (jobs.some((job) => job !== undefined && job.timestamp <= at)) return true;
      }
      return false;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
