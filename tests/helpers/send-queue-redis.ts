/** The send queue's tests on a real Redis: the server, its clients, a queue with one sender, deliveries by thread. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type MessageTopic, prioritizeTopic } from '../../src/core/index.ts';
import { createChatSendQueue } from '../../src/jobs/chat-send-queue.ts';
import type { ChatSendQueueDeps } from '../../src/jobs/chat-send-types.ts';
import { type Answer, createFakeSender, createRecordingLog, type SendAttempt } from './chat-send-fakes.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from './redis-server.ts';

/**
 * Registers beforeAll/afterAll that start a test Redis and stop it, disconnecting every client `connect` handed out
 * first. A `quiet` client ignores its connection errors (for tests that stop Redis under it).
 */
export function useSendQueueRedis(options: { readonly quiet?: boolean } = {}): {
  readonly server: TestRedis;
  connect(): Redis;
} {
  let server: TestRedis | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });
  const started = (): TestRedis => {
    if (!server) throw new Error('the send queue Redis is read before beforeAll started it');
    return server;
  };
  return {
    get server() {
      return started();
    },
    connect() {
      const client = new Redis(started().url, { maxRetriesPerRequest: null });
      if (options.quiet) client.on('error', () => {});
      clients.push(client);
      return client;
    },
  };
}

/** A queue under a fresh prefix whose one sender ('one') answers as `answer` says, with no gap between sends. */
export function createOneSenderQueue(
  connect: () => Redis,
  attempts: SendAttempt[],
  answer?: Answer,
  more: Partial<Pick<ChatSendQueueDeps, 'maxRetryDelayMs' | 'refusedWaits'>> = {},
) {
  return createChatSendQueue({
    connect,
    prefix: createTestPrefix(),
    send: createFakeSender('one', attempts, answer),
    minIntervalMs: () => 0,
    log: createRecordingLog().log,
    ...more,
  });
}

/** A message of `deployment`'s thread in `channel`, keyed `<deployment>:<key>`, with the priority its topic has. */
export function threadDelivery(
  channel: string,
  deployment: string,
  kind: 'post' | 'refresh',
  topic: MessageTopic,
  key: string,
) {
  return {
    channel,
    kind,
    key: `${deployment}:${key}`,
    payload: { deploymentId: deployment, topic },
    ...prioritizeTopic(deployment, kind, topic),
  };
}
