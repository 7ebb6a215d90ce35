/** The send queue's order in a busy channel: prompts before informational posts, step results merged. */
import { expect, it } from 'vitest';
import type { MessageTopic } from '../../src/core/index.ts';
import {
  type Answer,
  finishedKeys,
  type SendAttempt,
  stepResult as step,
  waitFor,
} from '../helpers/chat-send-fakes.ts';
import { createOneSenderQueue, threadDelivery, useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const { connect } = useSendQueueRedis();

const CHANNEL = 'slack:#deployments';

const delivery = (deployment: string, kind: 'post' | 'refresh', topic: MessageTopic, key: string) =>
  threadDelivery(CHANNEL, deployment, kind, topic, key);

const makeQueue = (attempts: SendAttempt[], answer?: Answer) =>
  createOneSenderQueue(connect, attempts, answer);

/** What went out, a line per message: its key and the keys merged into it. */
const sentLines = (attempts: readonly SendAttempt[]) =>
  attempts.map((a) => [a.key, ...(a.also ?? []).map((m) => m.key)].join(' + '));

it('sends a gate prompt (after its thread’s status message) before older step results, and merges those', async () => {
  const attempts: SendAttempt[] = [];
  const queue = makeQueue(attempts);
  // Queued before the queue starts, in this order, as a busy channel would hold them.
  await queue.enqueue(delivery('a-1', 'post', { kind: 'status' }, 'status'));
  // The refreshes coalesce into the unsent status post, which renders the state as it is when it goes out.
  for (const n of [1, 2, 3]) {
    await queue.enqueue(delivery('a-1', 'post', step(n), `step:${n}`));
    await queue.enqueue(delivery('a-1', 'refresh', { kind: 'status' }, 'status'));
  }
  await queue.enqueue(delivery('b-1', 'post', { kind: 'status' }, 'status'));
  await queue.enqueue(delivery('a-1', 'post', { kind: 'report', state: 'succeeded' }, 'report'));
  await queue.enqueue(delivery('b-1', 'post', { kind: 'gate', gate: 'ok' }, 'gate:ok'));
  queue.start();
  await waitFor(() => attempts.length >= 5);
  await queue.idle();
  await queue.stop();
  expect(sentLines(attempts)).toEqual([
    'b-1:status',
    'b-1:gate:ok',
    'a-1:status',
    'a-1:step:1 + a-1:step:2 + a-1:step:3',
    'a-1:report',
  ]);
  expect(attempts.every((a) => a.status === 'sent')).toBe(true);
});

it('sends the 50 results of a 50-step deployment that waited for the channel as one reply, then its report', async () => {
  const attempts: SendAttempt[] = [];
  const queue = makeQueue(attempts);
  await queue.enqueue(delivery('a-1', 'post', { kind: 'status' }, 'status'));
  const steps = Array.from({ length: 53 }, (_, i) => i + 1);
  for (const n of steps) await queue.enqueue(delivery('a-1', 'post', step(n), `step:${n}`));
  await queue.enqueue(delivery('a-1', 'post', { kind: 'report', state: 'succeeded' }, 'report'));
  queue.start();
  await waitFor(() => attempts.length >= 4);
  await queue.idle();
  await queue.stop();
  const results = (from: number, to: number) =>
    steps
      .slice(from - 1, to)
      .map((n) => `a-1:step:${n}`)
      .join(' + ');
  // At most 50 in one message: a longer run's results go on in the next reply, still before the report.
  expect(sentLines(attempts)).toEqual(['a-1:status', results(1, 50), results(51, 53), 'a-1:report']);
});

/** 300 informational posts of other deployments, with z-1's status and a step result among them, then its gate. */
async function queueBacklog(queue: ReturnType<typeof makeQueue>): Promise<string[]> {
  const informational = Array.from({ length: 300 }, (_, i) => `d-${i + 1}:step:1`);
  for (let i = 0; i < informational.length; i++) {
    await queue.enqueue(delivery(`d-${i + 1}`, 'post', step(1), 'step:1'));
    // The gated deployment's own earlier posts: its status message near the front, a step result far behind.
    if (i === 99) await queue.enqueue(delivery('z-1', 'post', { kind: 'status' }, 'status'));
    if (i === 249) await queue.enqueue(delivery('z-1', 'post', step(1), 'step:1'));
  }
  await queue.enqueue(delivery('z-1', 'post', { kind: 'gate', gate: 'ok' }, 'gate:ok'));
  return informational;
}

/** Drains the backlog: the prompt goes as soon as its own thread's earlier posts have, in their order; then the rest, once. */
async function expectGateFirst(
  queue: ReturnType<typeof makeQueue>,
  attempts: SendAttempt[],
  informational: readonly string[],
): Promise<void> {
  queue.start();
  await waitFor(() => finishedKeys(attempts, CHANNEL).length >= 303, 30_000);
  await queue.idle();
  await queue.stop();
  const sent = finishedKeys(attempts, CHANNEL);
  expect(sent.slice(0, 3)).toEqual(['z-1:status', 'z-1:step:1', 'z-1:gate:ok']);
  expect(sent.slice(3)).toEqual(informational);
}

it('sends a gate prompt queued behind 300 informational posts first once a rate-limited channel takes posts again', async () => {
  const attempts: SendAttempt[] = [];
  // After an outage: the first try is rate-limited (429), then the channel takes posts again.
  const queue = makeQueue(attempts, (_delivery, call) =>
    call === 1 ? { status: 'rate-limited', retryAfterMs: 20 } : { status: 'sent' },
  );
  const informational = await queueBacklog(queue);
  await expectGateFirst(queue, attempts, informational);
  // Nothing of the queue is left behind in Redis once it is drained.
  const redis = connect();
  const left = await redis.keys('*:chat:*');
  expect(left.filter((k) => /:chat:(queue|urgent|thread):/.test(k))).toEqual([]);
}, 60_000);

it('finds the gate prompt in a backlog queued by a version that kept no index, its thread in order', async () => {
  const attempts: SendAttempt[] = [];
  const queue = makeQueue(attempts);
  const informational = await queueBacklog(queue);
  const redis = connect();
  const indexes = [...(await redis.keys('*:chat:urgent:*')), ...(await redis.keys('*:chat:thread:*'))];
  expect(indexes.length).toBeGreaterThan(0);
  await redis.del(...indexes);
  await expectGateFirst(queue, attempts, informational);
}, 60_000);
