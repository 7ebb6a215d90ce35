/**
 * Slack end to end: `/deploy abort <service> [reason]` names the service whose deployment to stop. Alpha's last
 * deployment has finished and beta's waits for approval, both followed in #deployments: `/deploy abort alpha` is
 * refused with what to type, and beta's deployment goes on (it was aborted, with "alpha" as its reason);
 * `/deploy abort BETA flaky tests` stops beta's, with "flaky tests" as its reason.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { answerIn } from '../helpers/slack-answer.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

let redis: TestRedis;
let dir: string;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-abort-service-'));
  await writeFile(join(dir, 'alpha.yaml'), oneGateRunbook('alpha'));
  await writeFile(join(dir, 'beta.yaml'), oneGateRunbook('beta'));
  h = await startSlackHarness({ redisUrl: redis.url, runbookPath: dir });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const typed = async (line: string) => String((await answerIn(h, ANN, DEPLOY_CHANNEL, line)).text);

describe('/deploy abort naming a service', () => {
  it('never aborts another service’s deployment, and stops the one of the service named', async () => {
    await typed('/deploy start alpha v1.0.0');
    const gate = await h.waitFor('alpha’s gate', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate') && m.blocks.length > 1),
    );
    await h.react(BEN, gate, 'white_check_mark');
    await h.waitForState('alpha-1', ['succeeded']);
    await typed('/deploy start beta v2.0.0');
    await h.waitForState('beta-1', ['awaiting_gates']);

    expect(await typed('/deploy abort alpha')).toBe(
      '⚠️ alpha has no deployment under way to abort; nothing was aborted. Under way: beta-1; to abort one, name it: /deploy abort &lt;deployment&gt; [reason]',
    );
    expect((await h.preflight.engine.store.get('beta-1'))?.state).toBe('awaiting_gates');

    expect(await typed('/deploy abort BETA flaky tests')).toBe('beta-1: deployment aborted.');
    const d = await h.waitForState('beta-1', ['aborted']);
    expect(d.state).toBe('aborted');
    const aborted = (await h.preflight.engine.store.audit('beta-1')).find(
      (r) => r.type === 'deployment.aborted',
    );
    expect(aborted?.detail).toMatchObject({ outcome: 'aborted by Ann: flaky tests' });
  });
});
