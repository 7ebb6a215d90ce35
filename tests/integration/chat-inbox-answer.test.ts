/**
 * The inbox answers a person once even when two handlings of one entry overlap: the first handler's process stalled
 * long enough for its lock to lapse, the entry was handed out again, and both handlings reach their answer. And it
 * answers when the handling that began to answer died before its answer left. An entry on its last attempt that
 * finds another handling sending its answer waits for it and ends well, not "given up" in the error log.
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { type AnswerOnce, createRedactor, type InboxEntry } from '../../src/core/index.ts';
import { createChatInboxQueue } from '../../src/jobs/chat-inbox-queue.ts';
import { useTestRedisClients } from '../helpers/redis-clients.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const { connect, server } = useTestRedisClients();

/** Blocks this process's event loop, as a long garbage collection or a stuck handler would. */
const stall = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* busy */
  }
};

it('answers once when a second handling starts while the first is still running', async () => {
  const producer = connect();
  const inbox = createChatInboxQueue({
    connect,
    producer,
    prefix: createTestPrefix(),
    log: { debug() {}, warn() {}, error() {} },
    redactor: createRedactor({}),
    lockDurationMs: 300,
    stalledIntervalMs: 100,
  });
  const answers: string[] = [];
  let handlings = 0;
  let releaseFirst: () => void = () => {};
  const firstHeld = new Promise<void>((release) => {
    releaseFirst = release;
  });
  let secondDone: () => void = () => {};
  const secondAnswered = new Promise<void>((resolve) => {
    secondDone = resolve;
  });
  let firstDone: () => void = () => {};
  const firstAnswered = new Promise<void>((resolve) => {
    firstDone = resolve;
  });
  inbox.serve('slack', async (entry: InboxEntry, answerOnce: AnswerOnce) => {
    const n = ++handlings;
    const answer = () =>
      answerOnce(async () => {
        answers.push(`handling ${n} answered ${entry.id}`);
      });
    if (n === 1) {
      stall(1_200); // its lock (300 ms) lapses and the entry is handed out again…
      await firstHeld; // …while this handling has not reached its answer yet
      await answer();
      firstDone();
    } else {
      await answer();
      secondDone();
    }
  });
  await inbox.record({
    platform: 'slack',
    id: 'command:trigger-overlap',
    userId: 'U1',
    channel: 'C1',
    event: { type: 'command', text: '/deploy status' },
  });
  await secondAnswered;
  releaseFirst();
  await firstAnswered;
  expect(handlings).toBe(2);
  expect(answers).toEqual(['handling 2 answered command:trigger-overlap']);
  await inbox.close();
});

it('answers when the handling that began to answer died before its answer left', async () => {
  const prefix = createTestPrefix();
  // The first "process": its connections, cut below as a killed bot's would be.
  const doomed: Redis[] = [];
  const connectDoomed = () => {
    const client = new Redis(server().url, { maxRetriesPerRequest: null });
    doomed.push(client);
    return client;
  };
  const options = {
    prefix,
    log: { debug() {}, warn() {}, error() {} },
    redactor: createRedactor({}),
    lockDurationMs: 300,
    stalledIntervalMs: 100,
  };
  const first = createChatInboxQueue({
    ...options,
    connect: connectDoomed,
    producer: connectDoomed(),
    answerClaimMs: 1_000,
  });
  let sending: () => void = () => {};
  const firstSending = new Promise<void>((resolve) => {
    sending = resolve;
  });
  first.serve('slack', async (_entry, answerOnce) => {
    await answerOnce(async () => {
      sending();
      await new Promise(() => {}); // the answer never leaves: the process dies here
    });
  });
  const entry: InboxEntry = {
    platform: 'slack',
    id: 'command:trigger-died',
    userId: 'U1',
    channel: 'C1',
    event: { type: 'command', text: '/deploy status' },
  };
  await first.record(entry);
  await firstSending;
  for (const client of doomed) client.disconnect();

  const answers: string[] = [];
  let answered: () => void = () => {};
  const secondAnswered = new Promise<void>((resolve) => {
    answered = resolve;
  });
  const producer = connect();
  const second = createChatInboxQueue({ ...options, connect, producer });
  second.serve('slack', async (handled, answerOnce) => {
    await answerOnce(async ({ again }) => {
      answers.push(`answered ${handled.id}${again ? ' again' : ''}`);
      answered();
    });
  });
  await secondAnswered;
  // Told that an earlier send began: the answer may have reached the person, so it must not show twice.
  expect(answers).toEqual(['answered command:trigger-died again']);
  await second.close();
}, 30_000);

it('ends an entry well, with no error logged, when on its last attempt another handling is sending its answer', async () => {
  const errors: string[] = [];
  let release: () => void = () => {};
  const sendReleased = new Promise<void>((resolve) => {
    release = resolve;
  });
  const inbox = createChatInboxQueue({
    connect,
    producer: connect(),
    prefix: createTestPrefix(),
    // The second handling found the answer being sent: only now does the first one's answer leave.
    log: {
      debug: (_obj, msg) => {
        if (msg?.includes('waits for another handling')) release();
      },
      warn() {},
      error: (_obj, msg) => {
        errors.push(String(msg));
        release();
      },
    },
    redactor: createRedactor({}),
    lockDurationMs: 300,
    stalledIntervalMs: 100,
    attempts: 1,
  });
  const answers: string[] = [];
  let handlings = 0;
  let bothDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    bothDone = resolve;
  });
  let finished = 0;
  inbox.serve('slack', async (entry: InboxEntry, answerOnce: AnswerOnce) => {
    const n = ++handlings;
    try {
      if (n === 1) stall(1_200); // its lock lapses and the entry is handed out again, on its one and last attempt
      await answerOnce(async () => {
        if (n === 1) await sendReleased; // the first handling's answer takes its time to leave
        answers.push(`handling ${n} answered ${entry.id}`);
      });
    } finally {
      if (++finished === 2) bothDone();
    }
  });
  await inbox.record({
    platform: 'slack',
    id: 'command:trigger-last-busy',
    userId: 'U1',
    channel: 'C1',
    event: { type: 'command', text: '/deploy status' },
  });
  await done;
  expect(handlings).toBe(2);
  expect(answers).toEqual(['handling 1 answered command:trigger-last-busy']);
  expect(errors).toEqual([]);
  await inbox.close();
}, 30_000);
