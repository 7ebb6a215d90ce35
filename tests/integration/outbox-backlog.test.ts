/**
 * Whether the outbox still holds a commit the relay has not delivered: what a process that could not start its chat
 * waits on before it ends, so the PagerDuty event of a page it just applied is sent, not left behind.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxUndelivered } from '../../src/infra/redis/outbox-backlog.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
}, 30_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('the outbox backlog', () => {
  it('is undelivered from a commit until the relay has read and acknowledged it', async () => {
    const stream = 'pf:{t}:outbox';
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(false);
    const id = (await redis.xadd(stream, '*', 'deployment', 'd1', 'effects', '[]')) as string;
    // A stream no relay has opened yet: its commit is still to deliver.
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(true);
    await redis.xgroup('CREATE', stream, 'relay', '0');
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(true);
    await redis.xreadgroup('GROUP', 'relay', 'c1', 'COUNT', 10, 'STREAMS', stream, '>');
    // Read but not acknowledged: the relay may have died before delivering it.
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(true);
    await redis.xack(stream, 'relay', id);
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(false);
    await redis.xadd(stream, '*', 'deployment', 'd1', 'effects', '[]');
    expect(await outboxUndelivered(redis, stream, 'relay')).toBe(true);
  });
});
