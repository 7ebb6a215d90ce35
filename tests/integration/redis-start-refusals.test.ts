/**
 * A Redis that runs but refuses Preflight (password, database, TLS) stops the start-up wait at once with what to
 * change; only a Redis that cannot be reached is waited for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/infra/embedded-redis.ts';
import { createRedisConnector, type RedisClient } from '../../src/infra/redis/redis-connector.ts';
import { waitForRedis } from '../../src/infra/redis/wait-for-redis.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const PASSWORD = 'goodpass';
let server: TestRedis;
let admin: Redis;
const opened: RedisClient[] = [];

beforeAll(async () => {
  server = await startTestRedis();
  admin = new Redis(server.url);
  await admin.config('SET', 'requirepass', PASSWORD);
  await admin.auth(PASSWORD);
});
afterAll(async () => {
  for (const client of opened) client.disconnect();
  admin?.disconnect();
  await server?.stop();
});

/**
 * What waiting on `url` ends with. The wait's own bound is the real 10 s: a refusal named in the message (not
 * "cannot reach … within 10 s") is one that ended it before that.
 */
async function waitOn(url: string): Promise<{ message: string; client: RedisClient }> {
  const connector = createRedisConnector({ mode: 'standalone', url });
  const client = connector.connect();
  client.on('error', () => {});
  opened.push(client);
  const message = await waitForRedis(client, connector.describe()).then(
    () => 'ready',
    (error: Error) => error.message,
  );
  return { message, client };
}

describe('the start-up wait for Redis', () => {
  it('stops at once on a wrong password, saying Redis refused it, without the password', async () => {
    const { message } = await waitOn(`redis://:hunter2@127.0.0.1:${server.port}`);
    expect(message).toMatch(
      /^Redis refused the password in REDIS_URL \(redis:\/\/127\.0\.0\.1:\d+: WRONGPASS/,
    );
    expect(message).not.toContain('hunter2');
  });

  it('stops at once when no password is given, saying where to put it', async () => {
    const { message } = await waitOn(`redis://127.0.0.1:${server.port}`);
    expect(message).toBe(
      `Redis asks for a password and REDIS_URL gives none; add it to REDIS_URL, after a colon behind redis:// and before an @ in front of the host, for redis://127.0.0.1:${server.port}`,
    );
  });

  it('stops within seconds when rediss:// meets a plain Redis, saying to use redis://', async () => {
    const { message } = await waitOn(`rediss://:${PASSWORD}@127.0.0.1:${server.port}`);
    expect(message).toMatch(
      /^TLS handshake with Redis failed: is it serving TLS\? use redis:\/\/ for a plain server \(rediss:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it('stops at once on a TLS certificate Node does not trust, saying how to trust it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preflight-tls-'));
    try {
      await execa('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]);
      const tlsPort = await findFreePort();
      await admin.config('SET', 'tls-cert-file', join(dir, 'cert.pem'));
      await admin.config('SET', 'tls-key-file', join(dir, 'key.pem'));
      await admin.config('SET', 'tls-auth-clients', 'no');
      await admin.config('SET', 'tls-port', String(tlsPort));
      const { message } = await waitOn(`rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`);
      expect(message).toMatch(
        /^Redis's TLS certificate is not trusted \(rediss:\/\/127\.0\.0\.1:\d+: DEPTH_ZERO_SELF_SIGNED_CERT: .*NODE_EXTRA_CA_CERTS/,
      );
    } finally {
      await admin.config('SET', 'tls-port', '0');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops on a database the server does not have, naming it, instead of writing to database 0', async () => {
    const { message } = await waitOn(`redis://:${PASSWORD}@127.0.0.1:${server.port}/99`);
    expect(message).toBe(
      `REDIS_URL names database 99, which the Redis at redis://127.0.0.1:${server.port}/99 does not have ` +
        '(ERR DB index is out of range): use a lower number (0–15 on a default Redis) or raise "databases" in its configuration',
    );
  });

  it('uses a database the server has', async () => {
    const { message, client } = await waitOn(`redis://:${PASSWORD}@127.0.0.1:${server.port}/3`);
    expect(message).toBe('ready');
    await client.set('start-refusals:db', 'here');
    await admin.select(3);
    expect(await admin.get('start-refusals:db')).toBe('here');
  });
});
