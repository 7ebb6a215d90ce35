/**
 * Sentinels and Cluster nodes that refuse Preflight's password stop the start-up wait at once with what to change
 * in REDIS_URL, as a lone Redis does (redis-start-refusals.test.ts), instead of "cannot reach … start it" after 10 s.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redis-url.ts';
import { createRedisConnector, type RedisClient } from '../../src/infra/redis/redis-connector.ts';
import { waitForRedis } from '../../src/infra/redis/wait-for-redis.ts';
import { type ClusterSet, type SentinelSet, startClusterSet, startSentinelSet } from '../helpers/redis-ha.ts';

const opened: RedisClient[] = [];
afterAll(() => {
  for (const client of opened) client.disconnect();
});

/** What the start-up wait on `url` ends with: "ready", or the message it stops with. */
async function waitOn(url: string): Promise<string> {
  const connector = createRedisConnector(parseRedisUrl(url));
  const client = connector.connect();
  client.on('error', () => {});
  opened.push(client);
  return waitForRedis(client, connector.describe()).then(
    () => 'ready',
    (error: Error) => error.message,
  );
}

/** Sets a password on each server on `ports` (a sentinel takes it as an ACL; a Redis as requirepass). */
async function protect(ports: readonly number[], password: string, how: 'acl' | 'requirepass') {
  for (const port of ports) {
    const client = new Redis({ port, host: '127.0.0.1' });
    try {
      if (how === 'acl') await client.call('ACL', 'SETUSER', 'default', 'resetpass', `>${password}`);
      else {
        await client.config('SET', 'masterauth', password);
        await client.config('SET', 'requirepass', password);
      }
    } finally {
      client.disconnect();
    }
  }
}

describe('sentinels that require a password', () => {
  let set: SentinelSet;
  beforeAll(async () => {
    set = await startSentinelSet();
    await protect(set.sentinelPorts, 'sentinel-pass', 'acl');
  }, 60_000);
  afterAll(() => set?.stop());

  it('stop the wait at once when REDIS_URL gives none, saying to add sentinelPassword', async () => {
    const message = await waitOn(set.url);
    expect(message).toMatch(
      /^the sentinels ask for a password and REDIS_URL gives none; add it to REDIS_URL as its sentinelPassword query parameter/,
    );
  });

  it('stop the wait at once on a wrong one, without showing it', async () => {
    const message = await waitOn(`${set.url}?sentinelPassword=not-it-123`);
    expect(message).toMatch(
      /^the sentinels refused the sentinelPassword in REDIS_URL \(Sentinel .*WRONGPASS/,
    );
    expect(message).not.toContain('not-it-123');
  });

  it('answer with the right one', async () => {
    expect(await waitOn(`${set.url}?sentinelPassword=sentinel-pass`)).toBe('ready');
  });
});

describe('Cluster nodes that require a password', () => {
  let cluster: ClusterSet;
  beforeAll(async () => {
    cluster = await startClusterSet();
    await protect(cluster.ports, 'cluster-pass', 'requirepass');
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('stop the wait at once when REDIS_URL gives none, saying where to put it', async () => {
    expect(await waitOn(cluster.url)).toMatch(
      /^Redis asks for a password and REDIS_URL gives none; add it to REDIS_URL/,
    );
  });

  it('stop the wait at once on a wrong one, without showing it', async () => {
    const message = await waitOn(cluster.url.replace('redis+cluster://', 'redis+cluster://:not-it-456@'));
    expect(message).toMatch(/^Redis refused the password in REDIS_URL \(Cluster .*WRONGPASS/);
    expect(message).not.toContain('not-it-456');
  });

  it('answer with the right one', async () => {
    expect(await waitOn(cluster.url.replace('redis+cluster://', 'redis+cluster://:cluster-pass@'))).toBe(
      'ready',
    );
  });
});
