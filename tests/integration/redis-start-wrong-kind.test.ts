/**
 * REDIS_URL written for one kind of Redis but naming another (a sentinel or a Cluster node as a plain redis://, a
 * plain server as redis+sentinel:// or redis+cluster://, a port where something else than Redis answers) stops the
 * start-up wait at once with the form to write, instead of a stack trace after the first write, or "cannot reach
 * … start it" after 10 s for a server that runs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redis-url.ts';
import { createRedisConnector, type RedisClient } from '../../src/infra/redis/redis-connector.ts';
import { waitForRedis } from '../../src/infra/redis/wait-for-redis.ts';
import { type ClusterSet, type SentinelSet, startClusterSet, startSentinelSet } from '../helpers/redis-ha.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const opened: RedisClient[] = [];
afterAll(() => {
  for (const client of opened) client.disconnect();
});

/** What the start-up wait on `url` ends with ("ready", or the message it stops with) and how long it took. */
async function waitOn(url: string): Promise<{ message: string; ms: number }> {
  const connector = createRedisConnector(parseRedisUrl(url));
  const client = connector.connect();
  client.on('error', () => {});
  opened.push(client);
  const started = Date.now();
  const message = await waitForRedis(client, connector.describe()).then(
    () => 'ready',
    (error: Error) => error.message,
  );
  return { message, ms: Date.now() - started };
}

describe('redis:// naming a sentinel or a Cluster node', () => {
  let sentinels: SentinelSet;
  let cluster: ClusterSet;
  beforeAll(async () => {
    sentinels = await startSentinelSet();
    cluster = await startClusterSet();
  }, 120_000);
  afterAll(async () => {
    await sentinels?.stop();
    await cluster?.stop();
  });

  it('a sentinel: says to write redis+sentinel:// with the primary it watches', async () => {
    const port = sentinels.sentinelPorts[0];
    const { message } = await waitOn(`redis://:pw@127.0.0.1:${port}`);
    expect(message).toBe(
      `redis://127.0.0.1:${port} is a Redis Sentinel, not a Redis server: write REDIS_URL as ` +
        `redis+sentinel://127.0.0.1:${port}/${sentinels.name} (list every sentinel, separated by commas)`,
    );
  });

  it('any node of a Cluster (the one holding Preflight’s slot too): says to write redis+cluster://', async () => {
    for (const port of cluster.ports.slice(0, 3)) {
      const { message } = await waitOn(`redis://127.0.0.1:${port}`);
      expect(message).toBe(
        `redis://127.0.0.1:${port} is a node of a Redis Cluster: write REDIS_URL as ` +
          `redis+cluster://127.0.0.1:${port} (a few nodes, separated by commas; the rest are found)`,
      );
    }
  });
});

describe('redis+sentinel:// and redis+cluster:// naming a plain Redis', () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(() => server?.stop());

  it('redis+sentinel://: stops at once, saying it is no sentinel and to write redis://', async () => {
    const { message, ms } = await waitOn(`redis+sentinel://127.0.0.1:${server.port}/mymaster`);
    expect(message).toBe(
      `the sentinels in REDIS_URL answer as a Redis server, not a Sentinel (Sentinel 127.0.0.1:${server.port} (primary "mymaster"): ` +
        "ERR unknown command 'sentinel'): for one server write redis://host:port; a sentinel listens on port 26379 unless told otherwise",
    );
    expect(ms).toBeLessThan(5_000);
  });

  it('redis+cluster://: stops at once, saying it is no Cluster and to write redis://', async () => {
    const { message, ms } = await waitOn(`redis+cluster://127.0.0.1:${server.port}`);
    expect(message).toBe(
      `the Redis in REDIS_URL is not a Cluster node (Cluster 127.0.0.1:${server.port}: ERR This instance has cluster support disabled): ` +
        'for one server write redis://host:port instead of redis+cluster://',
    );
    expect(ms).toBeLessThan(5_000);
  });
});

describe('redis:// naming a port where something else answers', () => {
  let web: Server;
  beforeAll(async () => {
    web = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => web.close(() => resolve())));

  it('says something that is not Redis answered there, without "Please report this"', async () => {
    const port = (web.address() as AddressInfo).port;
    const { message } = await waitOn(`redis://127.0.0.1:${port}`);
    expect(message).toBe(
      `something that is not Redis answers at redis://127.0.0.1:${port} (its first byte was "H": an HTTP server?): ` +
        'check the host and port in REDIS_URL',
    );
  });
});
