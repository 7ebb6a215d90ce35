/** An engine test file's lifecycle: one test Redis; each test's harness and worker processes stopped after it. */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from './engine-harness.ts';
import { engineRunbook } from './engine-runbooks.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { spawnWorker, type WorkerProcess } from './spawn-worker.ts';

export interface EngineSuite {
  readonly redis: TestRedis;
  /** Worker processes of the running test; stopped after it. */
  readonly workers: WorkerProcess[];
  /** Starts a harness on the suite's Redis; it is stopped after the test. */
  start(options: Omit<HarnessOptions, 'redisUrl'>): Promise<Harness>;
  /**
   * The bot side (no workers: it only commits) and one worker process, which runs the steps and the relay, around
   * `steps` (engineRunbook); a deployment is started, waiting for its gate `go`.
   */
  startWithWorker(steps: string): Promise<{ h: Harness; id: string; worker: WorkerProcess }>;
}

/** Polls `check` every 25 ms until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
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
    async startWithWorker(steps) {
      const h = await this.start({ runbook: engineRunbook(steps), work: false });
      const worker = await spawnWorker(server().url, join(h.dir, 'runbook.yaml'), h.prefix, h.dir);
      workers.push(worker);
      const started = await h.start('v1.0.0');
      if (!started.ok) throw started.error;
      return { h, id: started.deployment.id, worker };
    },
  };
}
