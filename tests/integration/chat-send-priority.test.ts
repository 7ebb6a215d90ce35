/** The send queue's order in a busy channel: prompts before informational posts, step results merged. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessageTopic } from '../../src/core/index.ts';
import { prioritizeTopic } from '../../src/core/index.ts';
import { createChatSendQueue } from '../../src/jobs/chat-send-queue.ts';
import {
  createFakeSender,
  createRecordingLog,
  type SendAttempt,
  waitFor,
} from '../helpers/chat-send-fakes.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startTestRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.stop();
});

const CHANNEL = 'slack:#deployments';
const step = (n: number): MessageTopic => ({
  kind: 'step',
  phase: 'deploy',
  step: `s${n}`,
  attempt: 1,
  result: { status: 'succeeded', durationMs: 5, outputTail: '' },
});

function delivery(deployment: string, kind: 'post' | 'refresh', topic: MessageTopic, key: string) {
  return {
    channel: CHANNEL,
    kind,
    key: `${deployment}:${key}`,
    payload: { deploymentId: deployment, topic },
    ...prioritizeTopic(deployment, kind, topic),
  };
}

it('sends a gate prompt (after its thread’s status message) before older step results, and merges those', async () => {
  const attempts: SendAttempt[] = [];
  const queue = createChatSendQueue({
    connect: () => {
      const client = new Redis(server.url, { maxRetriesPerRequest: null });
      clients.push(client);
      return client;
    },
    prefix: createTestPrefix(),
    send: createFakeSender('one', attempts),
    minIntervalMs: () => 0,
    log: createRecordingLog().log,
  });
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
  const sent = attempts.map((a) => [a.key, ...(a.also ?? []).map((m) => m.key)].join(' + '));
  expect(sent).toEqual([
    'b-1:status',
    'b-1:gate:ok',
    'a-1:status',
    'a-1:step:1 + a-1:step:2 + a-1:step:3',
    'a-1:report',
  ]);
  expect(attempts.every((a) => a.status === 'sent')).toBe(true);
});
