/** A Discord test file's lifecycle on a runbook of its own: a test Redis, the runbook in a temp folder, the harness. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type DiscordHarness, startDiscordHarness } from './discord-harness.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';

export interface DiscordSuite {
  readonly h: DiscordHarness;
  readonly redis: TestRedis;
}

/** Registers beforeAll/afterAll that start and stop everything; read `h` inside tests (or a later beforeAll). */
export function useDiscordSuite(runbook: string): DiscordSuite {
  let redis: TestRedis | undefined;
  let harness: DiscordHarness | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(join(tmpdir(), 'preflight-discord-'));
    await writeFile(join(dir, 'runbook.yaml'), runbook);
    harness = await startDiscordHarness({ redisUrl: redis.url, runbookPath: join(dir, 'runbook.yaml') });
  }, 60_000);
  afterAll(async () => {
    await harness?.stop();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`the Discord suite's ${what} is read before beforeAll started it`);
    return value;
  };
  return {
    get h() {
      return started(harness, 'harness');
    },
    get redis() {
      return started(redis, 'Redis');
    },
  };
}
