/**
 * The chat inbox on BullMQ: one queue per platform (`pf-inbox-slack`, …). `record` adds a job whose id is the
 * platform's delivery id, so the job itself is the duplicate marker, written in the same step as the durable
 * enqueue; completed jobs are kept a day, which is how long a redelivery is recognised. The processes that
 * serve a platform work its queue; a process that dies mid-entry leaves it locked until BullMQ's stalled check
 * hands it to another.
 */
import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import {
  type AnswerOnce,
  type ChatInbox,
  ChatSendError,
  createKeySpace,
  type InboxEntry,
  InboxRetry,
  maskText,
  type Platform,
  RecordUncertain,
  type Redactor,
} from '../core/index.ts';
import { jobId } from './job-types.ts';
import type { RedisClient } from './redis-client.ts';

const KEEP_DONE_SECONDS = 24 * 3600;
const RECORD_TIMEOUT_MS = 2_000;
const RECORD_RETRY_MS = 100;
const ANSWER_CLAIM_MS = 30_000;
const ATTEMPTS = 8;
/** A given-up entry stays in its queue's failed set this long, for an operator to look at. */
const KEEP_FAILED_SECONDS = 7 * KEEP_DONE_SECONDS;

export interface ChatInboxLog {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ChatInboxQueueDeps {
  /** A new Redis connection for each worker. */
  readonly connect: () => RedisClient;
  /** The connection `record` writes on: one that fails fast (no offline queue), so an ack is never a guess. */
  readonly producer: RedisClient;
  readonly prefix: string;
  readonly log: ChatInboxLog;
  /** Masks a handled entry's text (the runbooks' secret values as well as patterns) for the day it is kept. */
  readonly redactor: Redactor;
  /** How long an entry stays with a silent process before another takes it (default 10 s / 5 s). */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly concurrency?: number;
  /** How long a handling may take to send an answer before another handling may send it (default 30 s). */
  readonly answerClaimMs?: number;
  /** How often an entry is handled before it is given up, and the first wait between (default 8, 500 ms). */
  readonly attempts?: number;
  readonly backoffMs?: number;
}

export interface ChatInboxQueue extends ChatInbox {
  /** Entries recorded and not yet handled (all platforms). */
  pending(): Promise<number>;
  close(): Promise<void>;
}

/** Exponential, but never sooner than the platform asked (a 429's Retry-After, carried by the error). */
const INBOX_BACKOFF = 'inbox';
const backoffOf =
  (delayMs: number) =>
  (attemptsMade: number, _type?: string, err?: Error): number => {
    const asked = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    const exponential = Math.round(2 ** Math.max(0, attemptsMade - 1) * delayMs);
    return typeof asked === 'number' && asked > exponential ? asked : exponential;
  };

/** An answer's claim once the answer has left. */
const SENT = 'sent';
/** Deletes the answer's claim if this handling still holds it. */
const RELEASE_CLAIM = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Claims an entry's answer for this handling: `sent` when another handling sent it, `busy` while one is sending it,
 * else the claim is taken and the answer is `first`, or `again` when a handling before began to send it (the
 * `tried` mark, set here for a day before every send).
 */
const CLAIM_ANSWER = `
local holder = redis.call('GET', KEYS[1])
if holder == '${SENT}' or holder == '1' then return 'sent' end
if holder then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local tried = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
if tried then return 'again' end
return 'first'`;

/**
 * The claim on an entry's answer, so of two handlings of the same entry (a redelivery after a bot died, or two bots
 * at once after a lapsed lock) exactly one answers. A handling claims `sending` for a while, sends, then marks the
 * answer `sent` for a day. Another handling that finds the answer sent does nothing; one that finds it being sent
 * retries the entry later: if the sender died mid-answer, its claim runs out and the retry answers, so a person is
 * answered once rather than never. A send that fails gives the claim back for the retry, which is told that an
 * earlier send began (it may have reached the person: a post that timed out after Slack took it), unless the
 * platform rate-limited it (it took nothing). On the entry's last attempt there is no later retry: the handling
 * waits here until the other one has sent the answer (then the entry ends well, nothing given up) or its claim ran
 * out (then this one answers).
 */
const answerOnce =
  (
    producer: RedisClient,
    keys: { claim: string; tried: string },
    claimMs: number,
    /** Whether this is the entry's last attempt, and what to say when it waits for the other handling. */
    turn: { readonly last: boolean; readonly waiting: () => void },
  ): AnswerOnce =>
  async (send) => {
    const mine = `sending:${randomUUID()}`;
    const claim = () =>
      producer.eval(
        CLAIM_ANSWER,
        2,
        keys.claim,
        keys.tried,
        mine,
        String(claimMs),
        String(KEEP_DONE_SECONDS),
      );
    let claimed = await claim();
    if (claimed === 'busy' && turn.last) {
      turn.waiting();
      const pause = Math.max(10, Math.min(250, Math.round(claimMs / 20)));
      while (claimed === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, pause));
        claimed = await claim();
      }
    }
    // `1`: a claim taken by an earlier version, which marked an answer before sending it.
    if (claimed === 'sent') return;
    if (claimed === 'busy')
      throw new InboxRetry('another handling of this entry is sending its answer; looking again shortly');
    try {
      await send({ again: claimed === 'again' });
    } catch (error) {
      await producer.eval(RELEASE_CLAIM, 1, keys.claim, mine).catch(() => undefined);
      // Rate-limited: the platform took nothing, so a first send stays a first send.
      if (claimed === 'first' && error instanceof ChatSendError && error.kind === 'rate-limited')
        await producer.del(keys.tried).catch(() => undefined);
      throw error;
    }
    await producer.set(keys.claim, SENT, 'EX', KEEP_DONE_SECONDS);
  };

/** Every text in a value with credentials masked (an entry is kept a day after it was handled, as its own marker). */
function masked<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return maskText(value, redactor) as T;
  if (Array.isArray(value)) return value.map((item) => masked(item, redactor)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, redactor)])) as T;
  return value;
}

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
          removeOnFail: { age: KEEP_FAILED_SECONDS },
          attempts: deps.attempts ?? ATTEMPTS,
          backoff: { type: INBOX_BACKOFF, delay: deps.backoffMs ?? 500 },
        },
      });
      queue.on('error', (err) => deps.log.warn({ err, platform }, 'inbox queue error'));
      queues.set(platform, queue);
    }
    return queue;
  };

  return {
    async record(entry) {
      // Within the platform's few seconds, a Redis that fails (a primary switching, a connection re-made) is tried
      // again: the job id is the delivery id, so a second try adds nothing the first one did.
      const deadline = Date.now() + RECORD_TIMEOUT_MS;
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          // The add is still under way and may land: the entry's fate is not known, not failed.
          timer = setTimeout(
            () => reject(new RecordUncertain(`Redis did not confirm within ${RECORD_TIMEOUT_MS} ms`)),
            Math.max(0, deadline - Date.now()),
          );
        });
        try {
          const add = queueOf(entry.platform).add(entry.event.type, entry, {
            jobId: jobId(entry.platform, entry.id),
          });
          await Promise.race([add, timeout]);
          return;
        } catch (error) {
          if (error instanceof RecordUncertain || Date.now() + RECORD_RETRY_MS >= deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
        } finally {
          clearTimeout(timer);
        }
      }
    },
    serve(platform, handle) {
      queueOf(platform);
      const worker = new Worker<InboxEntry>(
        inboxQueueName(platform),
        (job) => {
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          const waiting = () =>
            deps.log.debug(
              { platform, entry: job.data.id, attempt: job.attemptsMade },
              'inbox entry waits for another handling to send its answer (its last attempt)',
            );
          return handle(
            job.data,
            answerOnce(
              deps.producer,
              {
                claim: keys.seen(`answer:${platform}:${job.data.id}`),
                tried: keys.seen(`answer-tried:${platform}:${job.data.id}`),
              },
              deps.answerClaimMs ?? ANSWER_CLAIM_MS,
              { last, waiting },
            ),
            { last },
          );
        },
        {
          connection: deps.connect() as unknown as ConnectionOptions,
          prefix: bullPrefix,
          concurrency: deps.concurrency ?? 16,
          lockDuration: deps.lockDurationMs ?? 10_000,
          stalledInterval: deps.stalledIntervalMs ?? 5_000,
          maxStalledCount: 5,
          settings: { backoffStrategy: backoffOf(deps.backoffMs ?? 500) },
        },
      );
      // Handled: what the person typed stays only with credentials masked (a crash before this leaves it as typed
      // until the record expires; before completion the entry must stay whole, as a retry needs it).
      worker.on('completed', (job) => {
        const clean = masked(job.data, deps.redactor);
        if (JSON.stringify(clean) !== JSON.stringify(job.data))
          job
            .updateData(clean)
            .catch((err: unknown) => deps.log.debug({ err, platform }, 'could not mask an entry'));
      });
      worker.on('failed', (job, err) => {
        const where = { platform, entry: job?.data.id, attempt: job?.attemptsMade };
        // BullMQ counts the attempt that just failed: at its `attempts`, nothing will handle the entry again.
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          const queue = `${bullPrefix}:${inboxQueueName(platform)}`;
          deps.log.error(
            {
              ...where,
              err,
              user: job.data.userId,
              event: job.data.event.type,
              failedSet: `${queue}:failed`,
              job: `${queue}:${job.id}`,
              advice: `given up: nothing will handle this entry again, and its person may have had no answer. It stays ${KEEP_FAILED_SECONDS / 86_400} days in Redis: \`ZRANGE ${queue}:failed 0 -1\` lists the given-up entries, \`HGETALL ${queue}:<id>\` shows one with its error (failedReason, stacktrace). Fix the cause, then tell the person to do it again.`,
            },
            'inbox entry given up after its last attempt',
          );
          return;
        }
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
