/**
 * The messages the world's bots posted, by what they indexed them as: `messageOf('svc-2', 'gate:go')` is the second
 * deployment's gate message, where its text alone would find the first deployment's, which reads the same.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisMessageIndex } from '../../src/infra/redis/redis-message-index.ts';
import { KEY_PREFIX } from '../../src/main.ts';
import type { FakeMessage } from './fake-slack-api.ts';
import { waitFor } from './slack-harness.ts';
import type { SpawnedSlackWorld } from './spawned-slack-world.ts';

/** Registers the Redis connection; the returned function waits until the bot indexed `owner`'s `key` message. */
export function useWorldMessages(
  world: SpawnedSlackWorld,
): (owner: string, key: string, timeoutMs?: number) => Promise<FakeMessage> {
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(world.redis.url);
    redis.on('error', () => {});
  });
  afterAll(() => redis?.disconnect());
  return (owner, key, timeoutMs = 30_000) => {
    if (!redis) throw new Error('useWorldMessages: read before the world started');
    const index = createRedisMessageIndex({ redis, prefix: KEY_PREFIX });
    return waitFor(
      `${owner}'s ${key} message`,
      async () => {
        const ref = await index.find(owner, key);
        return ref && world.slack.message(ref.channel, ref.id);
      },
      timeoutMs,
    );
  };
}
