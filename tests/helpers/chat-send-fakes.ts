/** A fake chat platform for the send queue's tests: records every attempt with its start time and outcome. */
import { performance } from 'node:perf_hooks';
import type { MessageTopic } from '../../src/core/index.ts';
import type { ChatDelivery, ChatSendLogger, SendOutcome } from '../../src/jobs/chat-send-queue.ts';

export interface SendAttempt {
  readonly channel: string;
  readonly kind: 'post' | 'refresh';
  readonly key: string;
  readonly payload: unknown;
  /** Posts the queue merged into this one. */
  readonly also?: ChatDelivery['also'];
  /** performance.now() when the queue called the sender. */
  readonly at: number;
  /** Which queue instance ("process") sent it. */
  readonly by: string;
  status?: SendOutcome['status'];
}

/** Decides the answer to the n-th attempt (1-based, over all channels) of a sender. */
export type Answer = (delivery: ChatDelivery, call: number) => SendOutcome | Promise<SendOutcome>;

export const ALWAYS_SENT: Answer = () => ({ status: 'sent' });

/** A sender for instance `by` that appends to the shared `attempts`. */
export function createFakeSender(by: string, attempts: SendAttempt[], answer: Answer = ALWAYS_SENT) {
  let calls = 0;
  return async (delivery: ChatDelivery): Promise<SendOutcome> => {
    const attempt: SendAttempt = { ...delivery, at: performance.now(), by };
    attempts.push(attempt);
    const outcome = await answer(delivery, ++calls);
    attempt.status = outcome.status;
    return outcome;
  };
}

/** Keys that were sent (or dropped) in a channel, in order. */
export function finishedKeys(attempts: readonly SendAttempt[], channel: string): string[] {
  return attempts
    .filter((a) => a.channel === channel && (a.status === 'sent' || a.status === 'drop'))
    .map((a) => a.key);
}

/** Gaps between successive attempt starts in a channel. */
export function gapsIn(attempts: readonly SendAttempt[], channel: string): number[] {
  const times = attempts.filter((a) => a.channel === channel).map((a) => a.at);
  return times.slice(1).map((t, i) => t - (times[i] ?? t));
}

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A logger that keeps what it was told. */
export function createRecordingLog(): { log: ChatSendLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { log: { info: record('info'), warn: record('warn'), error: record('error') }, entries };
}

/** A promise with its resolve, to hold a send open. */
export function createGate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The n-th step's result, as a deployment posts it: several waiting together are merged into one reply. */
export function stepResult(n: number): MessageTopic {
  return {
    kind: 'step',
    phase: 'deploy',
    step: `s${n}`,
    attempt: 1,
    result: { status: 'succeeded', durationMs: 5, outputTail: '' },
  };
}

/** What a test may wrap: the queue's two ways in (one delivery, or several at once). */
interface Queueing {
  enqueue(delivery: ChatDelivery): Promise<void>;
  enqueueAll(deliveries: readonly ChatDelivery[]): Promise<void>;
}

/** Routes every delivery queued on `queue`, one or several at once, through `around`, which queues them itself. */
export function aroundEnqueue(
  queue: Queueing,
  around: (
    deliveries: readonly ChatDelivery[],
    enqueueAll: (deliveries: readonly ChatDelivery[]) => Promise<void>,
  ) => Promise<void>,
): void {
  const enqueueAll = queue.enqueueAll.bind(queue);
  queue.enqueueAll = (deliveries) => around(deliveries, enqueueAll);
  queue.enqueue = (delivery) => queue.enqueueAll([delivery]);
}

/** Every delivery a queue is given from now on, in order, as it is passed on to the queue. */
export function recordEnqueued(queue: Queueing): ChatDelivery[] {
  const enqueued: ChatDelivery[] = [];
  aroundEnqueue(queue, (deliveries, enqueueAll) => {
    enqueued.push(...deliveries);
    return enqueueAll(deliveries);
  });
  return enqueued;
}
