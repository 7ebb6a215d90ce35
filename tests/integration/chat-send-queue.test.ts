import type { Redis } from 'ioredis';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { type ChatSendQueue, createChatSendQueue } from '../../src/jobs/chat-send-queue.ts';
import {
  type Answer,
  createFakeSender,
  createGate,
  createRecordingLog,
  finishedKeys,
  gapsIn,
  type SendAttempt,
  waitFor,
} from '../helpers/chat-send-fakes.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';
import { useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const CHANNELS = ['slack:C1', 'slack:C2', 'discord:D3'];
const INTERVAL_MS = 50;

const { connect } = useSendQueueRedis({ quiet: true });
let admin: Redis;
const queues: ChatSendQueue[] = [];
let prefix: string;
let attempts: SendAttempt[];

function makeQueue(by: string, options: { answer?: Answer; intervalMs?: number } = {}): ChatSendQueue {
  const queue = createChatSendQueue({
    connect,
    prefix,
    send: createFakeSender(by, attempts, options.answer),
    minIntervalMs: () => options.intervalMs ?? 0,
    log: createRecordingLog().log,
    leaseMs: 2_000,
  });
  queues.push(queue);
  return queue;
}

const post = (channel: string, key: string) => ({ channel, kind: 'post', key, payload: { key } }) as const;
const refresh = (channel: string, key: string, n: number) =>
  ({ channel, kind: 'refresh', key, payload: { n } }) as const;
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  admin = connect();
});
beforeEach(() => {
  prefix = createTestPrefix();
  attempts = [];
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});

describe('chat send queue', () => {
  it('keeps the order of 200 messages in each of 3 channels, drained by two instances', async () => {
    const producer = makeQueue('producer');
    for (const key of numbered(200)) {
      for (const channel of CHANNELS) await producer.enqueue(post(channel, key));
    }
    const jitter: Answer = async () => {
      await sleep(Math.random() < 0.1 ? 2 : 0);
      return { status: 'sent' };
    };
    const a = makeQueue('A', { answer: jitter });
    const b = makeQueue('B', { answer: jitter });
    a.start();
    b.start();
    await a.idle();
    for (const channel of CHANNELS) expect(finishedKeys(attempts, channel)).toEqual(numbered(200));
    expect(attempts).toHaveLength(600);
    expect(await admin.keys(createKeySpace(prefix).chat.queue('*'))).toEqual([]);
  });

  it('never sends faster than minIntervalMs in a channel, across two instances and rolling restarts', async () => {
    const producer = makeQueue('producer');
    for (const key of numbered(24)) {
      for (const channel of CHANNELS) await producer.enqueue(post(channel, key));
    }
    const a = makeQueue('A', { intervalMs: INTERVAL_MS });
    const b = makeQueue('B', { intervalMs: INTERVAL_MS });
    const started = performance.now();
    a.start();
    b.start();
    // Stop and restart each instance in turn: its channels are handed to the other one mid-stream.
    let done = false;
    const drained = producer.idle().then(() => {
      done = true;
    });
    for (let turn = 0; !done; turn++) {
      await sleep(90 + Math.random() * 60);
      const victim = turn % 2 === 0 ? a : b;
      await victim.stop();
      victim.start();
    }
    await drained;
    const elapsed = performance.now() - started;
    const gaps = CHANNELS.flatMap((channel) => gapsIn(attempts, channel));
    const handovers = CHANNELS.flatMap((channel) => {
      const by = attempts.filter((x) => x.channel === channel).map((x) => x.by);
      return by.slice(1).filter((who, i) => who !== by[i]);
    });
    console.log(
      `min gap ${Math.min(...gaps).toFixed(2)} ms over ${gaps.length} gaps, ${handovers.length} handovers, ${Math.round(elapsed)} ms`,
    );
    for (const channel of CHANNELS) expect(finishedKeys(attempts, channel)).toEqual(numbered(24));
    expect(attempts).toHaveLength(72);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS);
    expect(handovers.length).toBeGreaterThan(2);
    // The three channels went in parallel, not one after the other: each one's sends began before the others' ended.
    const spans = CHANNELS.map((channel) => attempts.filter((x) => x.channel === channel).map((x) => x.at));
    const lastStart = Math.max(...spans.map((at) => Math.min(...at)));
    const firstEnd = Math.min(...spans.map((at) => Math.max(...at)));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it('keeps posts and edits of a channel each minIntervalMs apart across two instances, posts in order', async () => {
    const producer = makeQueue('producer');
    for (const key of numbered(12)) {
      await producer.enqueue(post('slack:C1', key));
      await producer.enqueue(refresh('slack:C1', `edit-${key}`, 0));
    }
    const a = makeQueue('A', { intervalMs: INTERVAL_MS });
    const b = makeQueue('B', { intervalMs: INTERVAL_MS });
    a.start();
    b.start();
    await producer.idle();
    const startsOf = (kind: string) => attempts.filter((x) => x.kind === kind).map((x) => x.at);
    for (const kind of ['post', 'refresh']) {
      const times = startsOf(kind);
      expect(times).toHaveLength(12);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS);
    }
    expect(attempts.filter((x) => x.kind === 'post').map((x) => x.key)).toEqual(numbered(12));
  });

  it('gives back the pace turn of a message dropped without asking the platform (a thread known closed)', async () => {
    const producer = makeQueue('producer');
    for (const key of ['closed-1', 'closed-2', 'closed-3', 'next'])
      await producer.enqueue(post('discord:D3', key));
    // A minute between sends: had each skipped reply taken its turn, 'next' would wait three of them.
    const skipped: Answer = (delivery) =>
      delivery.key.startsWith('closed')
        ? { status: 'drop', reason: 'thread known closed', quiet: true, untried: true }
        : { status: 'sent' };
    makeQueue('A', { answer: skipped, intervalMs: 60_000 }).start();
    await waitFor(() => attempts.some((a) => a.key === 'next' && a.status === 'sent'), 20_000);
    expect(finishedKeys(attempts, 'discord:D3')).toEqual(['closed-1', 'closed-2', 'closed-3', 'next']);
  });

  it('coalesces 10 refreshes with one key queued while the channel is blocked into one send', async () => {
    const gate = createGate();
    const queue = makeQueue('A', {
      answer: async (d) => {
        if (d.key === 'blocker') await gate.promise;
        return { status: 'sent' };
      },
    });
    await queue.enqueue(post('slack:C1', 'blocker'));
    queue.start();
    await waitFor(() => attempts.length === 1);
    for (let n = 0; n < 10; n++) await queue.enqueue(refresh('slack:C1', 'dep-1:status', n));
    await queue.enqueue(post('slack:C1', 'after'));
    gate.open();
    await queue.idle();
    expect(attempts.map((a) => `${a.kind}:${a.key}`)).toEqual([
      'post:blocker',
      'refresh:dep-1:status',
      'post:after',
    ]);
  });

  it('sends a post queued behind a status edit without waiting for the edit, keeping posts and edits paced', async () => {
    const intervalMs = 300;
    const gate = createGate();
    const queue = makeQueue('A', {
      intervalMs,
      answer: async (_d, call) => {
        if (call === 1) await gate.promise;
        return { status: 'sent' };
      },
    });
    await queue.enqueue(refresh('slack:C1', 'dep-1:status', 0));
    queue.start();
    await waitFor(() => attempts.length === 1);
    // The status changes again while its edit is on the way: a second edit waits for the edit clock.
    await queue.enqueue(refresh('slack:C1', 'dep-1:status', 1));
    gate.open();
    await sleep(intervalMs / 3);
    await queue.enqueue(post('slack:C1', 'dep-1:report'));
    await queue.enqueue(post('slack:C1', 'dep-1:after'));
    await queue.idle();
    const sent = attempts.map((a) => `${a.kind}:${a.key}`);
    expect(sent).toHaveLength(4);
    expect(sent.slice(0, 2)).toEqual(['refresh:dep-1:status', 'post:dep-1:report']);
    expect(sent.indexOf('refresh:dep-1:status', 1)).toBeGreaterThan(1);
    const at = (kind: string) => attempts.filter((a) => a.kind === kind).map((a) => a.at);
    const [edit1 = 0, edit2 = 0] = at('refresh');
    const [post1 = 0, post2 = 0] = at('post');
    expect(post2 - post1).toBeGreaterThanOrEqual(intervalMs);
    expect(edit2 - edit1).toBeGreaterThanOrEqual(intervalMs);
  });

  it('waits out its pace without asking Redis again for each message queued meanwhile, and sends them all', async () => {
    const intervalMs = 250;
    const queue = makeQueue('A', { intervalMs });
    queue.start();
    await queue.enqueue(post('slack:C1', 'first'));
    await waitFor(() => attempts.length === 1);
    const scripts = async () =>
      Number(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
    const before = await scripts();
    const keys = numbered(8);
    for (const key of keys) await queue.enqueue(post('slack:C1', key));
    // Each message is queued by one script; the loop, waiting for the post clock, looks again only when it is ready
    // (a claim per message would make it 2 × 8). Up to three more: the first post's completion and the loop's look
    // after it may still be on their way when `before` is read, and the new wait's own claim.
    expect((await scripts()) - before).toBeLessThanOrEqual(keys.length + 3);
    await queue.idle();
    expect(finishedKeys(attempts, 'slack:C1')).toEqual(['first', ...keys]);
    const at = attempts.map((a) => a.at);
    for (let i = 1; i < at.length; i++)
      expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(intervalMs - 5);
  });

  it('queues several messages at once in their order, each as alone: a post queued before is not queued again, edits coalesce', async () => {
    const queue = makeQueue('A');
    await queue.enqueue(post('slack:C1', 'dep-1:step-1'));
    await queue.enqueueAll([
      post('slack:C1', 'dep-1:step-1'),
      refresh('slack:C1', 'dep-1:status', 1),
      post('slack:C1', 'dep-1:step-2'),
      refresh('slack:C1', 'dep-1:status', 2),
      post('slack:C2', 'dep-2:step-1'),
    ]);
    queue.start();
    await queue.idle();
    expect(attempts.filter((a) => a.channel === 'slack:C1').map((a) => `${a.kind}:${a.key}`)).toEqual([
      'post:dep-1:step-1',
      'refresh:dep-1:status',
      'post:dep-1:step-2',
    ]);
    expect(finishedKeys(attempts, 'slack:C2')).toEqual(['dep-2:step-1']);
  });

  it('queues several messages at once as its very first call on a fresh connection', async () => {
    const queue = makeQueue('A');
    await queue.enqueueAll([post('slack:C1', 'dep-1:step-1'), refresh('slack:C1', 'dep-1:status', 1)]);
    queue.start();
    await queue.idle();
    expect(attempts.map((a) => `${a.kind}:${a.key}`)).toEqual(['post:dep-1:step-1', 'refresh:dep-1:status']);
  });

  it('counts what is pending in the channels it serves, without waiting', async () => {
    const queue = createChatSendQueue({
      connect,
      prefix,
      send: createFakeSender('A', attempts),
      minIntervalMs: () => 0,
      serves: (channel) => channel.startsWith('slack:'),
      log: createRecordingLog().log,
    });
    queues.push(queue);
    for (const key of ['a', 'b', 'c']) await queue.enqueue(post('slack:C1', key));
    await queue.enqueue(post('discord:D3', 'elsewhere'));
    expect(await queue.pending()).toBe(3);
    queue.start();
    await queue.idle();
    expect(await queue.pending()).toBe(0);
    expect(attempts.map((a) => a.key)).toEqual(['a', 'b', 'c']);
  });

  it('drops a refresh of a message whose post is still queued, but not once the post is being sent', async () => {
    const gate = createGate();
    const queue = makeQueue('A', {
      answer: async (d) => {
        if (d.key === 'blocker' || (d.key === 'dep-2:status' && d.kind === 'post')) await gate.promise;
        return { status: 'sent' };
      },
    });
    await queue.enqueue(post('slack:C1', 'blocker'));
    queue.start();
    await waitFor(() => attempts.length === 1);
    await queue.enqueue(post('slack:C1', 'dep-2:status'));
    await queue.enqueue(refresh('slack:C1', 'dep-2:status', 0));
    gate.open();
    await waitFor(() => attempts.some((a) => a.key === 'dep-2:status'));
    await queue.enqueue(refresh('slack:C1', 'dep-2:status', 1));
    await queue.idle();
    expect(attempts.map((a) => `${a.kind}:${a.key}`)).toEqual([
      'post:blocker',
      'post:dep-2:status',
      'refresh:dep-2:status',
    ]);
    expect(attempts.at(-1)?.payload).toEqual({ n: 1 });
  });

  it('queues a refresh again when the earlier one is already being sent (the state may have moved on)', async () => {
    const gate = createGate();
    const queue = makeQueue('A', {
      answer: async (_d, call) => {
        if (call === 1) await gate.promise;
        return { status: 'sent' };
      },
    });
    await queue.enqueue(refresh('slack:C1', 'dep-1:status', 0));
    queue.start();
    await waitFor(() => attempts.length === 1);
    await queue.enqueue(refresh('slack:C1', 'dep-1:status', 1));
    await queue.enqueue(refresh('slack:C1', 'dep-1:status', 2));
    gate.open();
    await queue.idle();
    expect(attempts.map((a) => a.payload)).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('sends a post once when its key is enqueued again, by any instance, before or after it was sent', async () => {
    const a = makeQueue('A');
    const b = makeQueue('B');
    await a.enqueue(post('slack:C1', 'dep-1:started'));
    await b.enqueue(post('slack:C1', 'dep-1:started'));
    a.start();
    await a.idle();
    await a.enqueue(post('slack:C1', 'dep-1:started'));
    await a.enqueue(post('slack:C2', 'dep-1:started'));
    await a.idle();
    expect(attempts.map((x) => `${x.channel} ${x.key}`)).toEqual([
      'slack:C1 dep-1:started',
      'slack:C2 dep-1:started',
    ]);
    const ttl = await admin.ttl(createKeySpace(prefix).chat.posted('slack:C1', 'dep-1:started'));
    expect(ttl).toBeGreaterThan(2 * 24 * 3600);
  });

  it('resolves idle() at once when empty, and sits almost silent on Redis when idle', async () => {
    const queue = makeQueue('A');
    queue.start();
    await queue.idle();
    await sleep(200);
    const commands = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);
    const before = await commands();
    await sleep(2_000);
    const sent = (await commands()) - before;
    // Blocked on a subscription, not polling: a handful of lease scans in two seconds, no busy loop.
    expect(sent).toBeLessThan(12);
  });
});
