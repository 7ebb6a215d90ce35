/**
 * A test file's world for the real bot on Slack: a test Redis, a fake Slack Web API, the runbook in a temp folder,
 * and when asked for a fake PagerDuty the bots page.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisDeploymentStore } from '../../src/infra/redis/redis-deployment-store.ts';
import { type FakeMonitoring, startFakeMonitoring } from './fake-monitoring.ts';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { postToSlackEndpoint, typedCommand } from './signed-slack.ts';
import { type RunningBot, slackBotEnv, spawnStart } from './spawn-start.ts';

export interface StartOptions {
  /** LOG_LEVEL; warn unless said. */
  readonly logLevel?: string;
  /** More of the bot's environment. */
  readonly env?: Record<string, string>;
  /** How long `start` waits for readiness (spawnStart's 20 s unless said). */
  readonly readyTimeoutMs?: number;
}

export interface SpawnedSlackWorld {
  readonly redis: TestRedis;
  readonly slack: FakeSlackApi;
  /** With `{ pagerDuty: true }`: the fake monitoring whose PagerDuty Events API the bots page. */
  readonly pagerDuty: FakeMonitoring;
  readonly dir: string;
  /** The environment `start` gives a bot. */
  env(options?: StartOptions): Record<string, string>;
  /** Spawns `preflight start` on the runbook in Slack HTTP mode against the fake; every bot is stopped after the file. */
  start(options?: StartOptions): Promise<RunningBot>;
  /**
   * Sends `line` (the command, then its text) as `user` in the deploy channel to `bot`, signed as Slack signs it;
   * the answer goes to the fake's response URL `tag`.
   */
  command(bot: RunningBot, user: string, line: string, tag: string): ReturnType<typeof postToSlackEndpoint>;
}

/**
 * Registers beforeAll/afterAll that start and stop everything; read the world inside tests (or a later beforeAll).
 * `runbook` may be written from the folder it is kept in.
 */
export function useSpawnedSlackWorld(
  runbook: string | ((dir: string) => string),
  options: { readonly pagerDuty?: boolean } = {},
): SpawnedSlackWorld {
  let redis: TestRedis | undefined;
  let slack: FakeSlackApi | undefined;
  let pagerDuty: FakeMonitoring | undefined;
  let dir: string | undefined;
  const bots: RunningBot[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    slack = await startFakeSlackApi();
    if (options.pagerDuty) pagerDuty = await startFakeMonitoring();
    dir = await mkdtemp(join(tmpdir(), 'preflight-slack-bot-'));
    await writeFile(join(dir, 'runbook.yaml'), typeof runbook === 'string' ? runbook : runbook(dir));
  }, 30_000);
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
    await slack?.close();
    await pagerDuty?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the Slack world's ${what} is read before beforeAll started it`);
    return value;
  };
  const world: SpawnedSlackWorld = {
    get redis() {
      return started(redis, 'Redis');
    },
    get slack() {
      return started(slack, 'fake Slack');
    },
    get pagerDuty() {
      return started(pagerDuty, 'PagerDuty (asked for with { pagerDuty: true })');
    },
    get dir() {
      return started(dir, 'folder');
    },
    env(options = {}) {
      return {
        ...slackBotEnv(
          world.redis.url,
          join(world.dir, 'runbook.yaml'),
          world.slack.apiUrl,
          options.logLevel,
        ),
        ...(pagerDuty && {
          PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
          PAGERDUTY_EVENTS_URL: `${pagerDuty.url}/v2/enqueue`,
        }),
        ...options.env,
      };
    },
    async start(options = {}) {
      const bot = await spawnStart(
        world.env(options),
        options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs },
      );
      bots.push(bot);
      return bot;
    },
    command(bot, user, line, tag) {
      return postToSlackEndpoint(
        `${bot.base}/slack/events`,
        typedCommand({ user, line, channel: DEPLOY_CHANNEL, responseUrl: world.slack.responseUrl(tag), tag }),
      );
    },
  };
  return world;
}

type WorldDeployments = ReturnType<typeof createRedisDeploymentStore>;

/** A loaded machine takes its time to start a bot: `world.start(SLOW_START)` waits up to 90 s for it. */
export const SLOW_START = { readyTimeoutMs: 90_000 } as const;

/** The deployments the world's bots keep, read from its Redis as a person running `preflight` would see them. */
export function useWorldDeployments(world: SpawnedSlackWorld): () => WorldDeployments {
  let redis: Redis | undefined;
  let store: WorldDeployments | undefined;
  beforeAll(() => {
    redis = new Redis(world.redis.url);
    // Tests stop the world's Redis on purpose; the reads wait for it to be back.
    redis.on('error', () => {});
    store = createRedisDeploymentStore({ redis, clock: { now: () => Date.now() } });
  });
  afterAll(() => redis?.disconnect());
  return () => {
    if (!store) throw new Error('useWorldDeployments: read before the world started');
    return store;
  };
}
