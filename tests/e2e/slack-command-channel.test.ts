/**
 * A command that names no deployment, typed in a channel: it means a deployment followed in that channel, never
 * one another team follows elsewhere. Alpha deploys in #deployments, beta in #random; alpha's deployment has just
 * finished and beta's is waiting for approval. In #deployments, `/deploy abort` and `/deploy pause` are refused
 * with the deployment to name instead, and `/rollback` means alpha's (the last one there); beta is untouched. In
 * #random, and in #incident-response once beta has an incident open, they mean beta.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { answerIn } from '../helpers/slack-answer.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

const RANDOM = 'C0RANDOM01';

let redis: TestRedis;
let dir: string;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-channels-'));
  await writeFile(join(dir, 'alpha.yaml'), oneGateRunbook('alpha'));
  await writeFile(
    join(dir, 'beta.yaml'),
    oneGateRunbook('beta').replace('deploy: "#deployments"', 'deploy: "#random"'),
  );
  h = await startSlackHarness({ redisUrl: redis.url, runbookPath: dir });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Types `line` in `channel` and returns the answer's text. */
const typed = async (line: string, channel: string) => String((await answerIn(h, ANN, channel, line)).text);

describe('a command without a deployment id', () => {
  it('typed in another team’s channel is refused, naming the deployment to type', async () => {
    await typed('/deploy start alpha v1.0.0', DEPLOY_CHANNEL);
    const gate = await h.waitFor('alpha’s gate', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    );
    await h.react(BEN, gate, 'white_check_mark');
    await h.waitForState('alpha-1', ['succeeded']);
    await typed('/deploy start beta v2.0.0', RANDOM);
    await h.waitForState('beta-1', ['awaiting_gates']);
    await h.waitFor('beta’s status message', () => h.fake.messages.find((m) => m.channel === RANDOM));

    const elsewhere =
      'no deployment is active in this channel; beta-1 is, followed in <#C0RANDOM01>: to act on it, name it:';
    expect(await typed('/deploy abort', DEPLOY_CHANNEL)).toBe(
      `⚠️ ${elsewhere} \`/deploy abort beta-1 [reason]\``,
    );
    expect(await typed('/deploy pause', DEPLOY_CHANNEL)).toBe(`⚠️ ${elsewhere} \`/deploy pause beta-1\``);
    expect(await typed('/rollback', DEPLOY_CHANNEL)).toBe('alpha-1: rolling back alpha.');
    await h.waitForState('alpha-1', ['rolled_back']);
    const beta = await h.preflight.engine.store.get('beta-1');
    expect([beta?.state, beta?.paused ?? false, beta?.rollback]).toEqual([
      'awaiting_gates',
      false,
      undefined,
    ]);

    // Its incident's channel follows it too.
    await typed('/incident open beta-1 error rate climbing', RANDOM);
    await h.waitFor('beta’s incident', () => h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL));
    expect(await typed('/deploy pause', INCIDENT_CHANNEL)).toContain('beta-1: paused');
    expect(await typed('/deploy abort', RANDOM)).toBe('beta-1: deployment aborted.');
  });
});
