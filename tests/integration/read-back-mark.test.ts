/**
 * The bots' first read-backs of reactions shared in Redis, as a worker's page sees them: it waits while any bot has
 * a platform left to read back, then for what the last one recorded; never for a bot that stopped, nor past the
 * bound a bot gave (a bot killed mid-read-back holds no page back for longer).
 */
import { expect, it } from 'vitest';
import { createRedisReadBackMark } from '../../src/infra/redis/redis-read-back-mark.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const redis = useTestRedisClient();
const log = { info: () => undefined };

it('a worker waits for every bot still reading back, then for the latest end, and not past the bound', async () => {
  const prefix = createTestPrefix();
  const slackBot = createRedisReadBackMark({ redis: redis.client(), prefix, log });
  const discordBot = createRedisReadBackMark({ redis: redis.client(), prefix, log });
  const worker = createRedisReadBackMark({ redis: redis.client(), prefix, log });
  const until = Date.now() + 60_000;
  expect(await worker.awaited()).toBeUndefined();

  await slackBot.publish({ platforms: ['slack'], until });
  await discordBot.publish({ platforms: ['discord'], until });
  expect((await worker.awaited())?.platforms.toSorted()).toEqual(['discord', 'slack']);
  await slackBot.publish({ platforms: [], endedAt: 1_000, until });
  expect(await worker.awaited()).toEqual({ platforms: ['discord'] });
  await discordBot.publish({ platforms: [], endedAt: 2_000, until });
  expect(await worker.awaited()).toEqual({ platforms: [], endedAt: 2_000 });

  // A bot that stops is no longer waited for; one whose bound has passed neither.
  await discordBot.publish(undefined);
  expect(await worker.awaited()).toEqual({ platforms: [], endedAt: 1_000 });
  await slackBot.publish({ platforms: ['slack'], until: Date.now() + 50 });
  expect(await worker.awaited()).toEqual({ platforms: ['slack'] });
  await new Promise((r) => setTimeout(r, 100));
  expect(await worker.awaited()).toBeUndefined();
});
