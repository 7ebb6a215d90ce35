/**
 * The real `preflight start` on Slack, SIGKILLed once its write of a slash command left for Redis and before Redis
 * confirmed it (so before Slack's 200): Slack told the person the command failed, yet Redis holds it. After a
 * restart the command takes effect once and its answer goes to the command's response_url (valid 30 minutes).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { type RedisTap, startRedisTap } from '../helpers/redis-tap.ts';
import { postToSlackEndpoint, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { type RunningBot, slackBotEnv, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let tap: RedisTap;
let slack: FakeSlackApi;
let dir: string;
let bot: RunningBot | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  tap = await startRedisTap(redis.port);
  slack = await startFakeSlackApi();
  dir = await mkdtemp(join(tmpdir(), 'preflight-slack-late-'));
  await writeFile(join(dir, 'runbook.yaml'), oneGateRunbook('late'));
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await tap?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const start = async () => {
  bot = await spawnStart(slackBotEnv(tap.url, join(dir, 'runbook.yaml'), slack.apiUrl));
};

describe('a slash command recorded by a bot killed before its 200', () => {
  it('takes effect once after the restart and is answered at its response_url', async () => {
    await start();
    const first = bot;
    if (!first) throw new Error('no bot');
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    tap.onWrite('trigger-late-answer', () => first.child.kill('SIGKILL'));
    const sent = await postToSlackEndpoint(
      `${first.base}/slack/events`,
      slashCommand({
        user: ANN,
        command: '/deploy',
        text: 'start late v1.0.0',
        channel: DEPLOY_CHANNEL,
        responseUrl: slack.responseUrl('late-answer'),
        triggerId: 'trigger-late-answer',
      }),
    ).catch((error: unknown) => ({ status: 0, body: String(error) }));
    await exited;
    expect(sent.status).toBe(0);
    expect(slack.responses).toHaveLength(0);

    await start();
    const answer = await waitFor('the answer at the response_url', () =>
      slack.responses.find((r) => r.tag === 'late-answer'),
    );
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.body.text)).toMatch(/^Starting late-1: late v1\.0\.0 → production\./);
    await waitFor('the gate message', () => slack.messages.find((m) => m.text.includes('*Go* gate')));
    expect(
      slack.messages.filter((m) => m.text.includes('late v1.0.0') && m.threadTs === undefined),
    ).toHaveLength(1);
    expect(slack.responses).toHaveLength(1);
  }, 90_000);
});
