/**
 * A post in doubt (it may have gone out, and looking it up keeps failing) in a busy channel: the rest of the
 * channel goes on, prompts first; only what needs it waits (the replies under a status message in doubt, the
 * step results merged into the uncertain attempt); once lookups work again it is settled once, with the same set.
 */
import { expect, it } from 'vitest';
import type { MessageTopic } from '../../src/core/index.ts';
import { type SendAttempt, stepResult as step, waitFor } from '../helpers/chat-send-fakes.ts';
import { createOneSenderQueue, threadDelivery, useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const { connect } = useSendQueueRedis();

const CHANNEL = 'slack:#deployments';

const post = (deployment: string, topic: MessageTopic, key: string) =>
  threadDelivery(CHANNEL, deployment, 'post', topic, key);

const described = (a: SendAttempt) => [a.key, ...(a.also ?? []).map((m) => m.key)].join(' + ');

it('sends the rest of the channel while a post’s lookup fails, holding back only what needs that post', async () => {
  const attempts: SendAttempt[] = [];
  // The posts whose earlier attempt may have gone out: while lookups fail, the sender can only say so.
  const inDoubt = new Set(['a-1:status', 'c-1:step:1']);
  let lookupsFail = true;
  const queue = createOneSenderQueue(
    connect,
    attempts,
    (d) =>
      lookupsFail && inDoubt.has(d.key)
        ? { status: 'unsure', reason: 'conversations.history: HTTP 500' }
        : { status: 'sent' },
    { maxRetryDelayMs: 200 },
  );
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('a-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  await queue.enqueue(post('c-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('c-1', step(1), 'step:1'));
  await queue.enqueue(post('c-1', step(2), 'step:2'));
  await queue.enqueue(post('c-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  await queue.enqueue(post('c-1', step(3), 'step:3'));
  await queue.enqueue(post('b-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('b-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  queue.start();

  const sent = () => attempts.filter((a) => a.status === 'sent').map(described);
  await waitFor(() => sent().length >= 5);
  // The lookups still fail, and the channel has gone on: prompts of other threads, a prompt in the thread of a
  // step result in doubt, and a later step result of that thread.
  await waitFor(() => attempts.filter((a) => a.status === 'unsure').length >= 6);
  expect(sent()).toEqual(['c-1:status', 'c-1:gate:go', 'b-1:status', 'b-1:gate:go', 'c-1:step:3']);
  // Replies under the status message in doubt wait for it; the step result merged into the uncertain attempt
  // is never sent apart from it.
  expect(attempts.some((a) => a.key === 'a-1:gate:go' || a.key === 'c-1:step:2')).toBe(false);
  expect(
    attempts
      .filter((a) => a.status === 'unsure')
      .every((a) => ['a-1:status', 'c-1:step:1 + c-1:step:2'].includes(described(a))),
  ).toBe(true);

  lookupsFail = false;
  await queue.idle();
  await queue.stop();
  // Each settled once, the step results in the very set they were first tried in; the reply after its root.
  const all = sent();
  expect(all.slice(0, 5)).toEqual(['c-1:status', 'c-1:gate:go', 'b-1:status', 'b-1:gate:go', 'c-1:step:3']);
  expect([...all.slice(5)].sort()).toEqual(['a-1:gate:go', 'a-1:status', 'c-1:step:1 + c-1:step:2']);
  expect(all.indexOf('a-1:status')).toBeLessThan(all.indexOf('a-1:gate:go'));
});

it('retries a merged post with the very set it first carried; results queued meanwhile go in a later post', async () => {
  const attempts: SendAttempt[] = [];
  let queue: ReturnType<typeof createOneSenderQueue> | undefined;
  queue = createOneSenderQueue(
    connect,
    attempts,
    // The first attempt may have gone out (its answer was lost); a step result arrives before the retry.
    async (_d, call) => {
      if (call !== 1) return { status: 'sent' };
      await queue?.enqueue(post('c-1', step(3), 'step:3'));
      return { status: 'retry', reason: 'chat.postMessage: HTTP 500' };
    },
    { maxRetryDelayMs: 50 },
  );
  await queue.enqueue(post('c-1', step(1), 'step:1'));
  await queue.enqueue(post('c-1', step(2), 'step:2'));
  queue.start();
  await queue.idle();
  await queue.stop();
  expect(attempts.map((a) => `${described(a)}: ${a.status}`)).toEqual([
    'c-1:step:1 + c-1:step:2: retry',
    'c-1:step:1 + c-1:step:2: sent',
    'c-1:step:3: sent',
  ]);
});
