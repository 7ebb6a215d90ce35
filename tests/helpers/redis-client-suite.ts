/** A test Redis and one client on it for a whole vitest file. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from './redis-server.ts';

/** A test Redis for the whole file and one client on it, started in beforeAll and stopped in afterAll. */
export function useTestRedisClient(): { readonly client: () => Redis } {
  let server: TestRedis | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startTestRedis();
    client = new Redis(server.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  return {
    client: () => {
      if (!client) throw new Error('the test Redis is not started yet (use it inside a test or hook)');
      return client;
    },
  };
}
