/** A test Redis and a private copy of the sandbox for a test file that runs the real bins in it. */
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';

export interface RedisSandbox {
  readonly redis: TestRedis;
  readonly sandbox: SandboxCopy;
}

/** Registers beforeAll/afterAll that start and remove both; read them inside tests. */
export function useRedisSandbox(): RedisSandbox {
  let redis: TestRedis | undefined;
  let sandbox: SandboxCopy | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    sandbox = await copySandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
    await redis?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is read before beforeAll started it`);
    return value;
  };
  return {
    get redis() {
      return started(redis, 'test Redis');
    },
    get sandbox() {
      return started(sandbox, 'sandbox copy');
    },
  };
}
