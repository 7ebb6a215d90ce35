/**
 * `preflight_chat_commands_total` of a real `preflight start` counts a command once, even when Slack failed its
 * response_url and the command's inbox entry was handled again to deliver the answer.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DEPLOY_CHANNEL,
  type FakeSlackApi,
  RESPONSE_URL,
  startFakeSlackApi,
} from '../helpers/fake-slack-api.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { postToSlackEndpoint, SIGNING_SECRET, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let slack: FakeSlackApi;
let bot: RunningBot;

beforeAll(async () => {
  redis = await startTestRedis();
  slack = await startFakeSlackApi(['incidents']);
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(repoRoot, 'tests/fixtures/valid/minimal.yaml'),
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await redis?.stop();
});

it('counts a command once when its answer had to be sent three times', async () => {
  slack.fail(RESPONSE_URL, { status: 500 }, 2);
  const tag = randomUUID();
  const sent = await postToSlackEndpoint(
    `${bot.base}/slack/events`,
    slashCommand({
      user: 'U01ANA',
      command: '/deploy',
      text: 'help',
      channel: DEPLOY_CHANNEL,
      responseUrl: slack.responseUrl(tag),
      triggerId: `trigger-${tag}`,
    }),
  );
  expect(sent.status).toBe(200);
  await waitFor('the answer, on the third try', () => slack.responses.find((r) => r.tag === tag), 30_000);

  const metrics = await (await fetch(`${bot.base}/metrics`)).text();
  expect(metrics).toContain('preflight_chat_commands_total{command="deploy help",outcome="ok"} 1\n');
}, 60_000);
