/** `preflight start` with Slack configured: the real bin mounts POST /slack/events next to /healthz and answers. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { FORM, postToSlackEndpoint, SIGNING_SECRET, slashCommand } from '../helpers/signed-slack.ts';
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

  it('answers bodies no Slack request has with 400 (401 unsigned) and keeps running', async () => {
    const json = 'application/json';
    const shapes: [string, string, string][] = [
      ['null', json, 'the body is not a JSON object'],
      ['[]', json, 'the body is not a JSON object'],
      ['"x"', json, 'the body is not a JSON object'],
      ['{"type":"event_callback"}', json, 'an event callback without its event'],
      ['payload=null', FORM, 'the body is not a JSON object'],
      ['payload=%7B%7D', FORM, 'the body has no type'],
      ['payload=%7B%22type%22%3A%22block_actions%22%7D', FORM, 'a block_actions payload without actions'],
      ['foo=bar', FORM, 'a form body needs a command, a payload or ssl_check'],
    ];
    const answers = [];
    for (const [body, contentType] of shapes)
      answers.push(await postToSlackEndpoint(`${base}/slack/events`, { body, contentType }));
    expect(answers.map((a) => [a.status, a.body])).toEqual(
      shapes.map(([, , why]) => [400, `not a Slack request Preflight can read: ${why}`]),
    );
    const unsigned = await postToSlackEndpoint(
      `${base}/slack/events`,
      { body: 'null', contentType: json },
      { secret: 'not-the-secret' },
    );
    expect(unsigned.status).toBe(401);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    // And it still handles a real command.
    const help = await postToSlackEndpoint(
      `${base}/slack/events`,
      slashCommand({
        user: 'U0ALICE01',
        command: '/deploy',
        text: 'help',
        channel: 'C0DEPLOY1',
        responseUrl: slack.responseUrl('after-bad-bodies'),
        triggerId: 't3',
      }),
    );
    expect(help.status).toBe(200);
  });

  it("answers Slack's app_rate_limited notice at once and says in the log what it means", async () => {
    const notice = JSON.stringify({
      token: 'x',
      type: 'app_rate_limited',
      team_id: 'T0TEAM001',
      minute_rate_limited: 1518467820,
      api_app_id: 'A0APP0001',
    });
    const answer = await postToSlackEndpoint(`${base}/slack/events`, {
      body: notice,
      contentType: 'application/json',
    });
    expect(answer.status).toBe(200);
    const forged = await postToSlackEndpoint(
      `${base}/slack/events`,
      { body: notice, contentType: 'application/json' },
      { secret: 'not-the-secret' },
    );
    expect(forged.status).toBe(401);
    const said = bot
      .stdout()
      .split('\n')
      .filter((l) => l.includes('app_rate_limited'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('never reach Preflight');
  });
});
