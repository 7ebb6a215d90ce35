/** A Slack test file on a private copy of the sandbox: a test Redis, the copy, the Slack harness, and the teardown. */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startTestRedis, type TestRedis } from './redis-server.ts';
import { copySandbox, type SandboxCopy } from './sandbox-copy.ts';
import { type SlackHarness, type SlackHarnessOptions, startSlackHarness } from './slack-harness.ts';

/** Registers beforeAll/afterAll; call the returned function inside tests (or a later beforeAll) for the harness. */
export function useSlackSandbox(
  options: Omit<SlackHarnessOptions, 'redisUrl' | 'runbookPath'> = {},
): () => SlackHarness {
  let redis: TestRedis | undefined;
  let sandbox: SandboxCopy | undefined;
  let harness: SlackHarness | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    sandbox = await copySandbox();
    harness = await startSlackHarness({
      ...options,
      redisUrl: redis.url,
      runbookPath: join(sandbox.dir, 'runbook.yaml'),
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await sandbox?.remove();
    await redis?.stop();
  });
  return () => {
    if (!harness) throw new Error('the Slack harness is read before beforeAll started it');
    return harness;
  };
}
