/**
 * A thread its channel refuses (Preflight was removed from the channel, a permission is missing) is not lost: it
 * waits in the queue, in order, while the rest of the channel goes on, and is tried again until the channel lets
 * Preflight in; then it goes out in the order it was queued, each message once. A post that goes through in the
 * channel, or a new prompt in the thread, has it tried again at once rather than at the end of its wait.
 */
import { expect, it } from 'vitest';
import type { MessageTopic } from '../../src/core/index.ts';
import type { ChatSendQueueDeps } from '../../src/jobs/chat-send-types.ts';
import { type SendAttempt, waitFor } from '../helpers/chat-send-fakes.ts';
import { createOneSenderQueue, threadDelivery, useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const { connect } = useSendQueueRedis();

const CHANNEL = 'slack:#deployments';
// Longer than any test here: a thread tried again before it has been told to.
const NEVER_BY_ITSELF = { firstMs: 600_000, maxMs: 600_000 };

const post = (deployment: string, topic: MessageTopic, key: string) =>
  threadDelivery(CHANNEL, deployment, 'post', topic, key);

/** A queue whose channel refuses the deployments in `refused`. */
function refusingQueue(
  attempts: SendAttempt[],
  refused: Set<string>,
  refusedWaits: ChatSendQueueDeps['refusedWaits'],
) {
  return createOneSenderQueue(
    connect,
    attempts,
    (d) =>
      refused.has((d.payload as { deploymentId: string }).deploymentId)
        ? { status: 'refused', reason: 'not_in_channel' }
        : { status: 'sent' },
    refusedWaits ? { refusedWaits } : {},
  );
}

const sentKeys = (attempts: readonly SendAttempt[]) =>
  attempts.filter((a) => a.status === 'sent').map((a) => `${a.kind} ${a.key}`);

it('keeps a refused thread in order while the rest of the channel goes on, and sends it once when let in', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, { maxMs: 100 });
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('a-1', { kind: 'checklist-item', item: 'notes' }, 'checklist-item:notes'));
  await queue.enqueue(post('a-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  await queue.enqueue(post('b-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('b-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  queue.start();

  await waitFor(
    () => sentKeys(attempts).length >= 2 && attempts.filter((a) => a.status === 'refused').length >= 3,
  );
  expect(sentKeys(attempts)).toEqual(['post b-1:status', 'post b-1:gate:go']);
  // Only the thread's first message is tried while it is refused; what follows it waits behind it.
  expect(attempts.filter((a) => a.status === 'refused').every((a) => a.key === 'a-1:status')).toBe(true);

  refused.clear();
  await queue.idle();
  await queue.stop();
  expect(sentKeys(attempts)).toEqual([
    'post b-1:status',
    'post b-1:gate:go',
    'post a-1:status',
    'post a-1:checklist-item:notes',
    'post a-1:gate:go',
  ]);
});

it('tries a refused thread again at once when another post in its channel goes through', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('a-1', { kind: 'checklist-item', item: 'notes' }, 'checklist-item:notes'));
  queue.start();
  await waitFor(() => attempts.some((a) => a.status === 'refused'));

  refused.clear();
  await queue.enqueue(post('b-1', { kind: 'status' }, 'status'));
  await queue.idle();
  await queue.stop();
  expect(sentKeys(attempts)).toEqual(['post b-1:status', 'post a-1:status', 'post a-1:checklist-item:notes']);
});

it('tries a refused thread again at once when a prompt is queued in it', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  queue.start();
  await waitFor(() => attempts.some((a) => a.status === 'refused'));

  refused.clear();
  await queue.enqueue(post('a-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  await queue.idle();
  await queue.stop();
  expect(sentKeys(attempts)).toEqual(['post a-1:status', 'post a-1:gate:go']);
});

it('goes on with the rest of the channel when more than the pick window of a refused thread is queued', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  // A thread the channel refuses (a locked thread) piles up its health posts ahead of another deployment's.
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  for (let n = 1; n <= 250; n++)
    await queue.enqueue(post('a-1', { kind: 'checklist-item', item: `i${n}` }, `checklist-item:i${n}`));
  await queue.enqueue(post('b-1', { kind: 'status' }, 'status'));
  queue.start();
  await waitFor(() => sentKeys(attempts).includes('post b-1:status'));
  await queue.stop();
  expect(sentKeys(attempts)).toEqual(['post b-1:status']);
});

it('does not try a thread the channel refuses on its own again after every post of the channel', async () => {
  const attempts: SendAttempt[] = [];
  // Say Preflight may post in the channel but not in these threads: each refusal is the thread's alone.
  const refused = new Set(['a-1', 'a-2', 'a-3']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  for (const thread of refused) await queue.enqueue(post(thread, { kind: 'status' }, 'status'));
  for (let n = 1; n <= 10; n++)
    await queue.enqueue(post('b-1', { kind: 'checklist-item', item: `i${n}` }, `checklist-item:i${n}`));
  queue.start();
  await waitFor(() => sentKeys(attempts).length >= 10);
  await queue.stop();
  // Each is tried when first queued and once more after the channel's first post went through, not after each:
  // every try takes a turn of the channel's pace (a second on Slack and Discord) from the other threads.
  const tried = (thread: string) => attempts.filter((a) => a.key === `${thread}:status`).length;
  expect([...refused].map(tried)).toEqual([2, 2, 2]);
  expect(sentKeys(attempts)).toHaveLength(10);
});

it('says a thread is refused only once its channel refused it, not when a prompt of it is merely queued', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  // A gate prompt is urgent: queued, it makes its thread due at once, which is no refusal.
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  await queue.enqueue(post('a-1', { kind: 'gate', gate: 'go' }, 'gate:go'));
  expect(await queue.refusedThread(CHANNEL, 'a-1')).toBe(false);
  queue.start();
  await waitFor(() => attempts.some((a) => a.status === 'refused'));
  // Stopped, the queue has recorded the refusal of the attempt seen above.
  await queue.stop();
  expect(await queue.refusedThread(CHANNEL, 'a-1')).toBe(true);
  queue.start();
  refused.clear();
  await queue.enqueue(post('a-1', { kind: 'gate', gate: 'later' }, 'gate:later'));
  await queue.idle();
  await queue.stop();
  expect(sentKeys(attempts)).toContain('post a-1:status');
});

it('says the channel refuses every thread once it refused one, until it refuses that thread alone', async () => {
  const attempts: SendAttempt[] = [];
  const refused = new Set(['a-1']);
  const queue = refusingQueue(attempts, refused, NEVER_BY_ITSELF);
  await queue.enqueue(post('a-1', { kind: 'status' }, 'status'));
  expect(await queue.refusedChannel(CHANNEL)).toBe(false);
  queue.start();
  await waitFor(() => attempts.some((a) => a.status === 'refused'));
  await queue.stop();
  // A thread not tried there yet would be refused too; its own record does not say so yet.
  expect(await queue.refusedChannel(CHANNEL)).toBe(true);
  expect(await queue.refusedThread(CHANNEL, 'c-1')).toBe(false);
  // Another thread's post goes through: the channel takes posts, and refuses a-1 alone when it is tried again.
  queue.start();
  await queue.enqueue(post('b-1', { kind: 'status' }, 'status'));
  await waitFor(() => attempts.filter((a) => a.key === 'a-1:status').length >= 2);
  await queue.stop();
  expect(sentKeys(attempts)).toEqual(['post b-1:status']);
  expect(await queue.refusedChannel(CHANNEL)).toBe(false);
  expect(await queue.refusedThread(CHANNEL, 'a-1')).toBe(true);
});
