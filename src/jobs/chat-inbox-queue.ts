/**
 * The chat inbox on BullMQ: one queue per platform (`pf-inbox-slack`, …). `record` adds a job whose id is the
 * platform's delivery id, so the job itself is the duplicate marker, written in the same step as the durable
 * enqueue; completed jobs are kept a day, which is how long a redelivery is recognised. The processes that
 * serve a platform work its queue; a process that dies mid-entry leaves it locked until BullMQ's stalled check
 * hands it to another.
 */
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import {
  type AnswerOnce,
  type ChatInbox,
  createKeySpace,
  type InboxEntry,
  InboxRetry,
  type Platform,
} from '../core/index.ts';
import { jobId } from './job-types.ts';
import type { RedisClient } from './redis-client.ts';

const KEEP_DONE_SECONDS = 24 * 3600;
const RECORD_TIMEOUT_MS = 2_000;

export interface ChatInboxLog {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ChatInboxQueueDeps {
  /** A new Redis connection for each worker. */
  readonly connect: () => RedisClient;
  /** The connection `record` writes on: one that fails fast (no offline queue), so an ack is never a guess. */
  readonly producer: RedisClient;
  readonly prefix: string;
  readonly log: ChatInboxLog;
  /** How long an entry stays with a silent process before another takes it (default 10 s / 5 s). */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly concurrency?: number;
}

export interface ChatInboxQueue extends ChatInbox {
  /** Entries recorded and not yet handled (all platforms). */
  pending(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The claim on an entry's answer: one `SET … NX` per entry, taken before the answer leaves, so of two handlings of
 * the same entry (a redelivery after a bot died, or two bots at once after a lapsed lock) exactly one answers.
 */
const answerOnce =
  (producer: RedisClient, claimKey: string): AnswerOnce =>
  async (send) => {
    const claimed = await producer.set(claimKey, '1', 'EX', KEEP_DONE_SECONDS, 'NX');
    if (claimed !== 'OK') return;
    await send();
  };

/** The queue name of a platform's inbox. */
export const inboxQueueName = (platform: Platform) => `pf-inbox-${platform}`;

/** Creates the inbox; queues and workers open on first use. */
export function createChatInboxQueue(deps: ChatInboxQueueDeps): ChatInboxQueue {
  const keys = createKeySpace(deps.prefix);
  const bullPrefix = keys.queuePrefix;
  const queues = new Map<Platform, Queue<InboxEntry>>();
  const workers: Worker<InboxEntry>[] = [];
  const queueOf = (platform: Platform) => {
    let queue = queues.get(platform);
    if (!queue) {
      queue = new Queue<InboxEntry>(inboxQueueName(platform), {
        connection: deps.producer as unknown as ConnectionOptions,
        prefix: bullPrefix,
        defaultJobOptions: {
          removeOnComplete: { age: KEEP_DONE_SECONDS },
          removeOnFail: { age: 7 * KEEP_DONE_SECONDS },
          attempts: 8,
          backoff: { type: 'exponential', delay: 500 },
        },
      });
      queue.on('error', (err) => deps.log.warn({ err, platform }, 'inbox queue error'));
      queues.set(platform, queue);
    }
    return queue;
  };

  return {
    async record(entry) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not confirm within ${RECORD_TIMEOUT_MS} ms`)),
          RECORD_TIMEOUT_MS,
        );
      });
      try {
        const add = queueOf(entry.platform).add(entry.event.type, entry, {
          jobId: jobId(entry.platform, entry.id),
        });
        await Promise.race([add, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    serve(platform, handle) {
      queueOf(platform);
      const worker = new Worker<InboxEntry>(
        inboxQueueName(platform),
        (job) => handle(job.data, answerOnce(deps.producer, keys.seen(`answer:${platform}:${job.data.id}`))),
        {
          connection: deps.connect() as unknown as ConnectionOptions,
          prefix: bullPrefix,
          concurrency: deps.concurrency ?? 16,
          lockDuration: deps.lockDurationMs ?? 10_000,
          stalledInterval: deps.stalledIntervalMs ?? 5_000,
          maxStalledCount: 5,
        },
      );
      worker.on('failed', (job, err) => {
        const where = { platform, entry: job?.data.id, attempt: job?.attemptsMade };
        if (err instanceof InboxRetry)
          deps.log.debug({ ...where, reason: err.message }, 'inbox entry deferred');
        else deps.log.warn({ ...where, err }, 'inbox entry failed; retrying');
      });
      worker.on('error', (err) => deps.log.warn({ err, platform }, 'inbox worker error'));
      workers.push(worker);
    },
    async pending() {
      const counts = await Promise.all(
        [...queues.values()].map((q) => q.getJobCounts('active', 'waiting', 'delayed', 'prioritized')),
      );
      return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, n) => a + n, 0), 0);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
