import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  type LogEntry,
  type SendAttempt,
  waitFor,
} from '../helpers/chat-send-fakes.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';
import { useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const C1 = 'slack:C1';

const redis = useSendQueueRedis({ quiet: true });
const { connect } = redis;
let admin: Redis;
const queues: ChatSendQueue[] = [];
let prefix: string;
let attempts: SendAttempt[];
let logs: LogEntry[];

function makeQueue(
  by: string,
  options: { answer?: Answer; intervalMs?: number; maxRetryDelayMs?: number } = {},
) {
  const recording = createRecordingLog();
  logs = recording.entries;
  const queue = createChatSendQueue({
    connect,
    prefix,
    send: createFakeSender(by, attempts, options.answer),
    minIntervalMs: () => options.intervalMs ?? 0,
    log: recording.log,
    leaseMs: 600,
    ...(options.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: options.maxRetryDelayMs }),
  });
  queues.push(queue);
  return queue;
}

const post = (key: string, channel = C1) => ({ channel, kind: 'post', key, payload: { key } }) as const;
const refresh = (key: string, channel = C1) => ({ channel, kind: 'refresh', key, payload: { key } }) as const;
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

async function enqueueAll(queue: ChatSendQueue, keys: readonly string[]) {
  for (const key of keys) await queue.enqueue(post(key));
}

async function waitForAsync(check: () => Promise<boolean>): Promise<void> {
  for (let n = 0; !(await check()); n++) {
    if (n > 2_000) throw new Error('waitForAsync: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

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

describe('chat send queue failures', () => {
  it('waits Retry-After on a burst of 429s and re-sends the same head: each message once, in order', async () => {
    const limited = new Set([2, 3, 4, 7]);
    const queue = makeQueue('A', {
      intervalMs: 50,
      answer: (_d, call) =>
        limited.has(call) ? { status: 'rate-limited', retryAfterMs: 150 } : { status: 'sent' },
    });
    await enqueueAll(queue, numbered(6));
    queue.start();
    await queue.idle();
    expect(finishedKeys(attempts, C1)).toEqual(numbered(6));
    expect(attempts.map((a) => a.key)).toEqual(['m0', 'm1', 'm1', 'm1', 'm1', 'm2', 'm3', 'm3', 'm4', 'm5']);
    const gaps = gapsIn(attempts, C1);
    for (const [i, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(limited.has(i + 1) ? 150 : 50);
    }
    expect(logs.filter((l) => l.msg === 'chat channel rate-limited; waiting')).toHaveLength(4);
  });

  it('retries 5xx answers with capped exponential backoff, and resets it after a success', async () => {
    const failing = new Set([1, 2, 3, 5]);
    const queue = makeQueue('A', {
      maxRetryDelayMs: 400,
      answer: (_d, call) =>
        failing.has(call) ? { status: 'retry', reason: 'HTTP 503' } : { status: 'sent' },
    });
    await enqueueAll(queue, numbered(2));
    queue.start();
    await queue.idle();
    expect(attempts.map((a) => `${a.key}:${a.status}`)).toEqual([
      'm0:retry',
      'm0:retry',
      'm0:retry',
      'm0:sent',
      'm1:retry',
      'm1:sent',
    ]);
    const gaps = gapsIn(attempts, C1);
    // Equal jitter: between half and all of min(cap, 250 ms * 2^failures).
    const bounds: [number, number][] = [
      [125, 250],
      [200, 400],
      [200, 400],
      [0, 100],
      [125, 250],
    ];
    console.log(`retry gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
    for (const [i, [low, high]] of bounds.entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(low);
      expect(gaps[i]).toBeLessThan(high + 100);
    }
  });

  it('sends a page that superseded a failing one with a backoff of its own, not the failed page’s tries', async () => {
    let secondTried = false;
    const queue = makeQueue('A', {
      maxRetryDelayMs: 40,
      answer: (d) => {
        if (d.key === 'page-1') return { status: 'retry', reason: 'HTTP 503' };
        if (secondTried) return { status: 'sent' };
        secondTried = true;
        return { status: 'retry', reason: 'HTTP 503' };
      },
    });
    const page = (key: string) => ({ ...post(key), supersedes: 'page:inc-1' }) as const;
    await queue.enqueue(page('page-1'));
    queue.start();
    await waitFor(() => logs.filter((l) => l.msg === 'chat send failed; retrying').length >= 4);
    await queue.enqueue(page('page-2'));
    await queue.idle();
    expect(finishedKeys(attempts, C1)).toEqual(['page-2']);
    const retries = logs.filter((l) => l.msg === 'chat send failed; retrying');
    // The new page's first failure is its first attempt, so it waits the shortest backoff.
    expect(retries.filter((l) => (l.obj as { key?: string }).key === 'page-2').map((l) => l.obj)).toEqual([
      expect.objectContaining({ attempt: 1 }),
    ]);
  });

  it('holds edits too while a failed post waits, and edits a message only after its post went out', async () => {
    const gate = createGate();
    const queue = makeQueue('A', {
      intervalMs: 1_000,
      answer: async (_d, call) => {
        if (call !== 1) return { status: 'sent' };
        await gate.promise;
        return { status: 'retry', reason: 'HTTP 503' };
      },
    });
    await queue.enqueue(post('dep-1:status'));
    queue.start();
    await waitFor(() => attempts.length === 1);
    // Queued while the post is on the way: the edit clock is free, but there is nothing to edit yet.
    await queue.enqueue(refresh('dep-1:status'));
    await queue.enqueue(refresh('dep-2:status'));
    const failedAt = performance.now();
    gate.open();
    await queue.idle();
    const mine = attempts.filter((a) => a.key === 'dep-1:status').map((a) => `${a.kind}:${a.status}`);
    expect(mine).toEqual(['post:retry', 'post:sent', 'refresh:sent']);
    const other = attempts.find((a) => a.key === 'dep-2:status');
    // Equal jitter on the first failure: the channel is held at least 125 ms, for edits as for posts.
    expect((other?.at ?? 0) - failedAt).toBeGreaterThanOrEqual(125);
  });

  it('edits a post whose retry may find its first attempt when the message changed before the retry', async () => {
    const queue = makeQueue('A', {
      intervalMs: 1_000,
      // The first answer is lost: the status message may have gone out as it stood then.
      answer: (_d, call) => (call === 1 ? { status: 'retry', reason: 'HTTP 500' } : { status: 'sent' }),
    });
    await queue.enqueue(post('dep-1:status'));
    queue.start();
    const state = createKeySpace(prefix).chat.state(C1);
    await waitFor(() => attempts[0]?.status === 'retry');
    await waitForAsync(async () => (await admin.hexists(state, 'hold')) === 1);
    // The deployment moves on before the retry, which finds the first post: Slack must show the change.
    await queue.enqueue(refresh('dep-1:status'));
    await queue.idle();
    expect(attempts.map((a) => `${a.kind}:${a.status}`)).toEqual(['post:retry', 'post:sent', 'refresh:sent']);
  });

  it('drops a permanently failing message, logs it and continues', async () => {
    const queue = makeQueue('A', {
      answer: (d) => (d.key === 'm1' ? { status: 'drop', reason: 'channel_not_found' } : { status: 'sent' }),
    });
    await enqueueAll(queue, numbered(3));
    queue.start();
    await queue.idle();
    expect(attempts.map((a) => `${a.key}:${a.status}`)).toEqual(['m0:sent', 'm1:drop', 'm2:sent']);
    expect(logs).toContainEqual({
      level: 'error',
      obj: { channel: C1, key: 'm1', kind: 'post', reason: 'channel_not_found' },
      msg: 'chat message dropped',
    });
  });

  it('treats a sender that throws as a transient failure', async () => {
    const queue = makeQueue('A', {
      maxRetryDelayMs: 50,
      answer: (_d, call) => {
        if (call === 1) throw new Error('socket hang up');
        return { status: 'sent' };
      },
    });
    await enqueueAll(queue, numbered(2));
    queue.start();
    await queue.idle();
    expect(finishedKeys(attempts, C1)).toEqual(numbered(2));
    expect(attempts.map((a) => a.key)).toEqual(['m0', 'm0', 'm1']);
  });

  it('lets a new process deliver the rest, in order, after one is SIGKILLed mid-send', async () => {
    const keys = numbered(10);
    await enqueueAll(makeQueue('producer'), keys);
    const child = spawn(
      `${root}node_modules/.bin/node`,
      [`${root}tests/helpers/chat-send-child.ts`, redis.server.url, prefix, 'm5', '600'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const crashed: string[] = [];
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never reached m5: ${stderr}`)), 20_000);
      let buffer = '';
      child.stdout.on('data', (chunk) => {
        buffer += String(chunk);
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines.filter((l) => l.startsWith('{'))) {
          crashed.push((JSON.parse(line) as { key: string }).key);
          if (crashed.at(-1) === 'm5') {
            child.kill('SIGKILL');
            clearTimeout(timer);
            resolve();
          }
        }
      });
    });
    await exited;
    const leaseLeft = await admin.pttl(createKeySpace(prefix).chat.lease(C1));
    const killedAt = performance.now();
    expect(leaseLeft).toBeGreaterThan(0);
    const survivor = makeQueue('B');
    survivor.start();
    await survivor.idle();
    expect(crashed).toEqual(numbered(6));
    expect(finishedKeys(attempts, C1)).toEqual(keys.slice(5));
    const takeover = (attempts[0]?.at ?? 0) - killedAt;
    console.log(`takeover ${takeover.toFixed(0)} ms after the kill; lease had ${leaseLeft} ms left`);
    expect(takeover).toBeGreaterThanOrEqual(leaseLeft - 5);
    expect(takeover).toBeLessThan(leaseLeft + 300 + 500);
  });

  it('keeps queued messages through a Redis crash and a process restart', async () => {
    const producer = makeQueue('producer');
    await enqueueAll(producer, numbered(5));
    await producer.stop();
    await redis.server.kill();
    await redis.server.restart();
    const queue = makeQueue('A');
    queue.start();
    await queue.idle();
    expect(finishedKeys(attempts, C1)).toEqual(numbered(5));
  });

  it('says once that a channel lost its lease in a Redis outage, not once per renewal that waited for Redis', async () => {
    const gate = createGate();
    const queue = makeQueue('A', {
      answer: async (_d, call) => {
        if (call === 1) await gate.promise;
        return { status: 'sent' };
      },
    });
    await enqueueAll(queue, numbered(2));
    queue.start();
    await waitFor(() => attempts.length === 1);
    await redis.server.kill();
    // Three seconds: a dozen renewals of the 600 ms lease fall due while Redis is away.
    await new Promise((r) => setTimeout(r, 3_000));
    await redis.server.restart();
    await waitForAsync(async () => (await admin.ping().catch(() => '')) === 'PONG');
    await new Promise((r) => setTimeout(r, 500));
    gate.open();
    await queue.idle();
    expect(finishedKeys(attempts, C1)).toEqual(numbered(2));
    const lost = logs.filter((l) => l.msg === 'chat queue: channel lease lost or released');
    expect(lost.length).toBeLessThanOrEqual(1);
  });
});
