/**
 * The lead among processes sharing a Redis (the outbox relay's): one leader at a time, kept by renewing its key, and
 * renewed at most every fifth of its time however often it is asked (the relay asks before every batch).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeaderLock } from '../../src/jobs/leader-lock.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';
import { useSendQueueRedis } from '../helpers/send-queue-redis.ts';

const { connect } = useSendQueueRedis();
let admin: Redis;
beforeAll(() => {
  admin = connect();
});

const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);

describe('the leader lock', () => {
  it('has one leader at a time, renewed at most every fifth of its time however often asked', async () => {
    const key = `${createTestPrefix()}:leader`;
    const ttlMs = 1_000;
    const a = createLeaderLock({ redis: connect(), key, id: 'a', ttlMs });
    const b = createLeaderLock({ redis: connect(), key, id: 'b', ttlMs });
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    const before = await commands();
    for (let i = 0; i < 200; i++) expect(await a.acquire()).toBe(true);
    // The two INFO calls, and no round trip for the 200 asks made within a fifth of the lead's time.
    expect((await commands()) - before).toBeLessThanOrEqual(2);
    // Asked over three times its time, it keeps the lead by renewing: the other never gets it.
    for (const until = Date.now() + 3 * ttlMs; Date.now() < until; await sleep(50)) {
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
    }
    expect(await admin.pttl(key)).toBeGreaterThan(ttlMs / 2);
  });

  it('finds its lead gone at its next renewal when another process took it', async () => {
    const key = `${createTestPrefix()}:leader`;
    const ttlMs = 1_000;
    const a = createLeaderLock({ redis: connect(), key, id: 'a', ttlMs });
    const b = createLeaderLock({ redis: connect(), key, id: 'b', ttlMs });
    expect(await a.acquire()).toBe(true);
    // Its key is lost (a Redis restarted empty): the other process takes the lead.
    await admin.del(key);
    expect(await b.acquire()).toBe(true);
    await sleep(ttlMs / 5 + 20);
    expect(await a.acquire()).toBe(false);
    await a.release();
    expect(await admin.get(key)).toBe('b');
  });
});
