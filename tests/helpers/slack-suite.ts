/** A Slack test file's lifecycle: a test Redis, the runbook in a temp folder, the harness, and the teardown. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type FakeMonitoring, startFakeMonitoring } from './fake-monitoring.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { type SlackHarness, type SlackHarnessOptions, startSlackHarness } from './slack-harness.ts';

export interface SlackSuite {
  readonly h: SlackHarness;
  readonly redis: TestRedis;
}

const started = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`the Slack suite's ${what} is read before beforeAll started it`);
  return value;
};

/** Registers beforeAll/afterAll that start and stop everything; read `h` inside tests (or a later beforeAll). */
export function useSlackSuite(
  runbook: string,
  options: Omit<SlackHarnessOptions, 'redisUrl' | 'runbookPath'> = {},
): SlackSuite {
  let redis: TestRedis | undefined;
  let harness: SlackHarness | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(join(tmpdir(), 'preflight-slack-'));
    await writeFile(join(dir, 'runbook.yaml'), runbook);
    harness = await startSlackHarness({
      ...options,
      redisUrl: redis.url,
      runbookPath: join(dir, 'runbook.yaml'),
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get h() {
      return started(harness, 'harness');
    },
    get redis() {
      return started(redis, 'Redis');
    },
  };
}

/** A fake PagerDuty for a Slack test file, and the bot's settings that send its pages there. */
export interface PagerDutySuite {
  readonly fake: FakeMonitoring;
  readonly config: Record<string, string>;
}

/**
 * Registers beforeAll/afterAll that start and stop a fake PagerDuty. Call it before useSlackSuite, so the fake is
 * up when the bot starts and reads `config`.
 */
export function usePagerDutyFake(): PagerDutySuite {
  let fake: FakeMonitoring | undefined;
  beforeAll(async () => {
    fake = await startFakeMonitoring();
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get fake() {
      return started(fake, 'PagerDuty');
    },
    config: {
      PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
      // Read when the suite starts the bot, once the fake is up.
      get PAGERDUTY_EVENTS_URL() {
        return `${started(fake, 'PagerDuty').url}/v2/enqueue`;
      },
    },
  };
}
