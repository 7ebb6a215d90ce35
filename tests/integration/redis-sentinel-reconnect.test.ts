/**
 * A failover must never leave a connection closed for good. ioredis' failover detector (+switch-master) disconnects
 * the connector; when that lands while a reconnect is still asking a sentinel for the primary, ioredis sets the
 * client to 'end' and never tries again. Here the first sentinel is paused (SIGSTOP) so the reconnect after the
 * primary's death hangs in that question until the other two sentinels have finished the failover.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redis-url.ts';
import { openRedis } from '../../src/infra/redis/open-redis.ts';
import type { RedisClient } from '../../src/infra/redis/redis-connector.ts';
import { type SentinelSet, startSentinelSet } from '../helpers/redis-ha.ts';

let sentinels: SentinelSet;
beforeAll(async () => {
  sentinels = await startSentinelSet();
}, 120_000);
afterAll(async () => {
  await sentinels?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function capturingLogger() {
  const lines: { msg?: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

/** A fail-fast connection refuses commands until it is ready. */
async function whenReady(c: RedisClient): Promise<void> {
  const until = Date.now() + 10_000;
  while (c.status !== 'ready') {
    if (Date.now() > until) throw new Error(`connection still ${c.status}`);
    await sleep(50);
  }
}

const portOf = async (c: RedisClient) => Number(((await c.call('CONFIG', 'GET', 'port')) as string[])[1]);

describe('Redis connections on Sentinel', () => {
  it('follow a failover ordered while the old primary is alive (SENTINEL FAILOVER) at once', async () => {
    const { logger, lines } = capturingLogger();
    const open = await openRedis({ target: parseRedisUrl(sentinels.url), env: {}, logger });
    // BullMQ makes its blocking connections as duplicates of the one it is given.
    const duplicate = (open.redis as Redis).duplicate();
    try {
      const connections = [open.redis, open.connect(), open.connect({ failFast: true }), duplicate];
      for (const c of connections) await whenReady(c);
      const oldPrimary = await sentinels.primaryPort();
      for (const c of connections) expect(await portOf(c)).toBe(oldPrimary);
      // The replica may still be finishing its first sync; the sentinels refuse a failover without a good one.
      const [first] = sentinels.sentinelPorts;
      const asker = new Redis({ port: first ?? 0, host: '127.0.0.1' });
      try {
        const until = Date.now() + 30_000;
        for (;;) {
          const ordered = await asker.call('SENTINEL', 'FAILOVER', sentinels.name).catch((e: Error) => e);
          if (ordered === 'OK') break;
          if (Date.now() > until) throw ordered;
          await sleep(250);
        }
      } finally {
        asker.disconnect();
      }
      const newPrimary = await sentinels.waitForFailover(oldPrimary);
      const deadline = Date.now() + 20_000;
      const ports = async () => Promise.all(connections.map((c) => portOf(c).catch((e: Error) => e.message)));
      while (Date.now() < deadline) {
        if ((await ports()).every((p) => p === newPrimary)) break;
        await sleep(100);
      }
      expect(await ports()).toEqual(connections.map(() => newPrimary));
      // The old primary keeps its clients, and takes their writes, until a sentinel demotes it (its INFO is polled
      // every 10 s); the connections must leave it when the switch is announced, not then: that is what moved them.
      expect(lines.map((l) => l.msg)).toContain(
        'the sentinels moved the Redis primary; reconnecting to the new one',
      );
      for (const c of connections) expect(await c.set('pf-test:graceful', 'on the new primary')).toBe('OK');
    } finally {
      duplicate.disconnect();
      await open.close();
    }
  }, 120_000);

  it('all reconnect when the failover is announced while they are still asking a sentinel', async () => {
    const { logger } = capturingLogger();
    const open = await openRedis({ target: parseRedisUrl(sentinels.url), env: {}, logger });
    try {
      const subscriber = open.connect();
      const messages: string[] = [];
      subscriber.on('message', (_channel: string, message: string) => messages.push(message));
      await (subscriber as Extract<RedisClient, { subscribe: unknown }>).subscribe('pf-test-wake');
      const commandConnections: Record<string, RedisClient> = {
        shared: open.redis,
        queue: open.connect(),
        failFast: open.connect({ failFast: true }),
      };
      for (const c of Object.values(commandConnections)) {
        await whenReady(c);
        expect(await c.ping()).toBe('PONG');
      }
      // Let any sentinel subscriptions (ioredis' failover detector) settle, as they would in a running bot.
      await sleep(1_000);

      const [first] = sentinels.sentinelPorts;
      if (first === undefined) throw new Error('no sentinels');
      const oldPrimary = await sentinels.primaryPort();
      sentinels.pause(first);
      await sentinels.kill(oldPrimary);
      const newPrimary = await sentinels.waitForFailover(oldPrimary);
      expect(newPrimary).not.toBe(oldPrimary);
      // The other sentinels have announced +switch-master by now; give it time to arrive everywhere.
      await sleep(1_500);
      sentinels.resume(first);

      const all = { ...commandConnections, subscriber };
      const statuses = () => Object.fromEntries(Object.entries(all).map(([k, c]) => [k, c.status]));
      const deadline = Date.now() + 30_000;
      while (Object.values(all).some((c) => c.status !== 'ready') && Date.now() < deadline) await sleep(100);
      expect(statuses()).toEqual({ shared: 'ready', queue: 'ready', failFast: 'ready', subscriber: 'ready' });
      for (const [name, c] of Object.entries(commandConnections)) {
        expect(await c.set(`pf-test:${name}`, 'after failover')).toBe('OK');
      }
      // The subscriber is subscribed again on the new primary.
      const until = Date.now() + 10_000;
      while (messages.length === 0 && Date.now() < until) {
        await open.redis.publish('pf-test-wake', 'hello');
        await sleep(100);
      }
      expect(messages[0]).toBe('hello');
    } finally {
      for (const port of sentinels.sentinelPorts) sentinels.resume(port);
      await open.close();
    }
  }, 120_000);
});
