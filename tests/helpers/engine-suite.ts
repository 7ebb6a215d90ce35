/** An engine test file's lifecycle: one test Redis; each test's harness and worker processes stopped after it. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from './engine-harness.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import type { WorkerProcess } from './spawn-worker.ts';

export interface EngineSuite {
  readonly redis: TestRedis;
  /** Worker processes of the running test; stopped after it. */
  readonly workers: WorkerProcess[];
  /** Starts a harness on the suite's Redis; it is stopped after the test. */
  start(options: Omit<HarnessOptions, 'redisUrl'>): Promise<Harness>;
}

/** Registers the hooks; call at the top of a test file. */
export function useEngineSuite(): EngineSuite {
  let redis: TestRedis | undefined;
  let current: Harness | undefined;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await current?.stop();
    current = undefined;
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const server = (): TestRedis => {
    if (!redis) throw new Error('the engine suite is used before beforeAll started its Redis');
    return redis;
  };
  return {
    get redis() {
      return server();
    },
    workers,
    async start(options) {
      current = await startHarness({ ...options, redisUrl: server().url });
      return current;
    },
  };
}
