/** A Discord test file's lifecycle on the sandbox runbook: a test Redis, a sandbox copy, the harness, the teardown. */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type DiscordHarness, startDiscordHarness } from './discord-harness.ts';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';

/** The sandbox runbook's people by their Discord user ids. */
export const ALICE = '200000000000000001';
export const BOB = '200000000000000002';
export const CAROL = '200000000000000003';
export const DAVE = '200000000000000004';
export const ERIN = '200000000000000005';

/** Registers beforeAll/afterAll; call the returned function inside tests for the harness. */
export function useDiscordSandbox(
  options: { onStop?: (h: DiscordHarness) => void } = {},
): () => DiscordHarness {
  let redis: TestRedis | undefined;
  let sandbox: SandboxCopy | undefined;
  let harness: DiscordHarness | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    sandbox = await copySandbox();
    harness = await startDiscordHarness({
      redisUrl: redis.url,
      runbookPath: join(sandbox.dir, 'runbook.yaml'),
    });
  }, 60_000);
  afterAll(async () => {
    if (harness) options.onStop?.(harness);
    await harness?.stop();
    await sandbox?.remove();
    await redis?.stop();
  });
  return () => {
    if (!harness) throw new Error('the Discord harness is read before beforeAll started it');
    return harness;
  };
}
