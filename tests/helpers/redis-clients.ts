/** A test file's own redis-server with the clients it opens on it, for tests run by vitest. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from './redis-server.ts';

/**
 * A private redis-server for the test file (started before its tests, stopped after) and `connect()`, a new client
 * on it as the bot's workers open them (no retry limit), disconnected at the end.
 */
export function useTestRedisClients(): { readonly server: () => TestRedis; readonly connect: () => Redis } {
  let server: TestRedis | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });
  const started = () => {
    if (!server) throw new Error('the test redis-server is not started yet (use it inside a test)');
    return server;
  };
  return {
    server: started,
    connect() {
      const client = new Redis(started().url, { maxRetriesPerRequest: null });
      clients.push(client);
      return client;
    },
  };
}
