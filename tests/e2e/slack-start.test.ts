/** `preflight start` with Slack configured: the real bin mounts POST /slack/events next to /healthz and answers. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { postToSlackEndpoint, SIGNING_SECRET, slashCommand } from '../helpers/signed-slack.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let sandbox: SandboxCopy;
let slack: FakeSlackApi;
let bot: RunningBot;
let base: string;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  slack = await startFakeSlackApi();
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  base = bot.base;
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await sandbox?.remove();
  await redis?.stop();
});

describe('preflight start with Slack', () => {
  it('answers a signed /deploy slash command within the ack deadline, and replies through response_url', async () => {
    const request = slashCommand({
      user: 'U0ALICE01',
      command: '/deploy',
      text: 'plan toy',
      channel: 'C0DEPLOY1',
      responseUrl: slack.responseUrl('plan'),
      triggerId: 'trigger-plan-1',
    });
    const answer = await postToSlackEndpoint(`${base}/slack/events`, request);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    const deadline = Date.now() + 10_000;
    while (!slack.responses.some((r) => r.tag === 'plan') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const reply = slack.responses.find((r) => r.tag === 'plan');
    expect(String(reply?.body.text ?? JSON.stringify(reply?.body))).toContain('Plan: toy');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('refuses a forged request with 401', async () => {
    const request = slashCommand({
      user: 'U0ALICE01',
      command: '/deploy',
      text: 'help',
      channel: 'C0DEPLOY1',
      responseUrl: slack.responseUrl('forged'),
      triggerId: 't2',
    });
    const answer = await postToSlackEndpoint(`${base}/slack/events`, request, { secret: 'not-the-secret' });
    expect(answer.status).toBe(401);
  });
});
