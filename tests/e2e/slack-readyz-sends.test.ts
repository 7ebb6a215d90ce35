/**
 * `preflight start` over Slack HTTP while Slack's Web API fails: /readyz stays ready (Slack still calls the bot,
 * which records what it hears) but says that its messages are failing and wait, and stops saying so once a send
 * goes through.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { postToSlackEndpoint, slashCommand } from '../helpers/signed-slack.ts';
import { waitFor } from '../helpers/slack-harness.ts';
import { type RunningBot, slackBotEnv, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let slack: FakeSlackApi;
let bot: RunningBot;
let dir: string;

beforeAll(async () => {
  redis = await startTestRedis();
  slack = await startFakeSlackApi();
  dir = await mkdtemp(join(tmpdir(), 'preflight-readyz-sends-'));
  await writeFile(join(dir, 'runbook.yaml'), oneGateRunbook('svc'));
  bot = await spawnStart(slackBotEnv(redis.url, join(dir, 'runbook.yaml'), slack.apiUrl));
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const readyz = async () => {
  const res = await fetch(`${bot.base}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; checks: Record<string, string> },
  };
};

describe('/readyz while Slack answers 500 to every post', () => {
  it('stays ready, says the sends fail and wait, and clears once one goes through', async () => {
    slack.fail('chat.postMessage', { status: 500 }, 1_000);
    const started = await postToSlackEndpoint(
      `${bot.base}/slack/events`,
      slashCommand({
        user: ANN,
        command: '/deploy',
        text: 'start svc v1.0.0',
        channel: DEPLOY_CHANNEL,
        responseUrl: slack.responseUrl('start'),
        triggerId: 'trigger-readyz-sends',
      }),
    );
    expect(started.status).toBe(200);
    const failing = await waitFor('/readyz to tell the failing sends', async () => {
      const answer = await readyz();
      return answer.body.checks['slack-sends'] !== undefined && answer;
    });
    expect(failing.status).toBe(200);
    expect(failing.body.status).toBe('ready');
    expect(failing.body.checks['slack-sends']).toMatch(
      /^failing for \d+ s \((?:1 try|\d+ tries) in a row, the log says why\): messages wait in order and go out once slack answers$/,
    );
    slack.heal('chat.postMessage');
    await waitFor(
      'the status message to go out',
      () => slack.messages.find((m) => m.channel === DEPLOY_CHANNEL),
      60_000,
    );
    await waitFor(
      '/readyz to stop telling it',
      async () => (await readyz()).body.checks['slack-sends'] === undefined,
    );
  }, 90_000);
});
