/**
 * ioredis ends a client for good when its connector is disconnected while a reconnect is under way (what its
 * Sentinel failover detector does on +switch-master). Preflight's connections must come back from that.
 */
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenRedis, openRedis } from '../../src/infra/redis/open-redis.ts';
import { createRedisConnector, type RedisClient } from '../../src/infra/redis/redis-connector.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
let open: OpenRedis;
const lines: { msg?: string }[] = [];
beforeAll(async () => {
  server = await startTestRedis();
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  open = await openRedis({
    target: { mode: 'standalone', url: server.url },
    env: {},
    logger: pino({ level: 'info' }, stream),
  });
});
afterAll(async () => {
  await open?.close();
  await server?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statusBecomes(c: RedisClient, status: string, ms = 10_000): Promise<string> {
  const until = Date.now() + ms;
  while (c.status !== status && Date.now() < until) await sleep(20);
  return c.status;
}

/**
 * Drops the connection, then disconnects ioredis' connector while the reconnect is connecting: Redis#connect()
 * sees the connector reject and sets status 'end' without retrying.
 */
/** What ioredis' failover detector calls on +switch-master (a private field, hence the cast). */
const disconnectConnector = (c: RedisClient) =>
  (c as unknown as { connector: { disconnect(): void } }).connector.disconnect();

async function endMidReconnect(c: RedisClient): Promise<void> {
  const client = c as Redis;
  expect(await statusBecomes(client, 'ready')).toBe('ready');
  client.once('connecting', () => disconnectConnector(client));
  client.stream.destroy();
  await new Promise((resolve) => client.once('end', resolve));
}

const ENDED_LINE =
  'a Redis connection was closed by the client library, not by Preflight; connecting it again';

describe('Redis connections that ioredis ends by itself', () => {
  it('stay closed for good on a bare ioredis client (what the guard is for)', async () => {
    const bare = createRedisConnector({ mode: 'standalone', url: server.url }).connect();
    bare.on('error', () => undefined);
    try {
      await endMidReconnect(bare);
      await sleep(1_000);
      expect(bare.status).toBe('end');
      await expect(bare.ping()).rejects.toThrow('Connection is closed.');
    } finally {
      bare.disconnect();
    }
  });

  it('are connected again, with a log line, for the shared connection, new ones and duplicates', async () => {
    const fresh = open.connect();
    const duplicate = (fresh as Redis).duplicate();
    duplicate.on('error', () => undefined);
    try {
      for (const c of [open.redis, fresh, open.connect({ failFast: true }), duplicate]) {
        const before = lines.filter((l) => l.msg === ENDED_LINE).length;
        await endMidReconnect(c);
        expect(await statusBecomes(c, 'ready')).toBe('ready');
        expect(await c.ping()).toBe('PONG');
        expect(lines.filter((l) => l.msg === ENDED_LINE).length).toBe(before + 1);
      }
    } finally {
      duplicate.disconnect();
    }
  });

  it('keeps trying while it keeps being ended, and the shared connection says Redis is back', async () => {
    await endMidReconnect(open.redis);
    // The first restart is ended too.
    const client = open.redis as Redis;
    client.once('connecting', () => disconnectConnector(client));
    expect(await statusBecomes(client, 'ready')).toBe('ready');
    expect(await client.set('pf-test:kept', '1')).toBe('OK');
    expect(lines.at(-1)?.msg).toBe('Redis is reachable again');
  });

  it('leaves a connection closed on purpose closed', async () => {
    const quitted = open.connect();
    const disconnected = open.connect();
    expect(await statusBecomes(quitted, 'ready')).toBe('ready');
    expect(await statusBecomes(disconnected, 'ready')).toBe('ready');
    await quitted.quit();
    disconnected.disconnect();
    await sleep(1_000);
    expect([quitted.status, disconnected.status]).toEqual(['end', 'end']);
  });
});
