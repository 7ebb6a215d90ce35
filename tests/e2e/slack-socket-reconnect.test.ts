/**
 * `preflight start` in Socket Mode (the real bin) when Slack's `apps.connections.open` fails after a drop: the
 * bot keeps trying until it is connected again, hears what comes next, and /readyz tells the truth meanwhile.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { attachFakeSocketMode, type FakeSocketMode } from '../helpers/fake-slack-socket.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { SIGNING_SECRET, slackFixture } from '../helpers/signed-slack.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

let redis: TestRedis;
let sandbox: SandboxCopy;
let slack: FakeSlackApi;
let socket: FakeSocketMode;
let bot: RunningBot;

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  slack = await startFakeSlackApi();
  socket = attachFakeSocketMode(slack);
  bot = await spawnStart({
    REDIS_URL: redis.url,
    RUNBOOK: join(sandbox.dir, 'runbook.yaml'),
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APP_TOKEN: 'xapp-1-test-app-token',
    SLACK_API_URL: slack.apiUrl,
  });
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await socket?.close();
  await slack?.close();
  await sandbox?.remove();
  await redis?.stop();
});

const readyz = async () => {
  const answer = await fetch(`${bot.base}/readyz`);
  return { status: answer.status, body: (await answer.json()) as { checks: Record<string, string> } };
};

it('reconnects after apps.connections.open failed with 500s, and hears the next command', async () => {
  await socket.connected();
  expect((await readyz()).body.checks.slack).toBe('socket connected');

  slack.fail('apps.connections.open', { status: 500 }, 2);
  socket.drop();
  // While it is down, /readyz says so (still ready: a reconnect is under way, not yet overdue).
  await vi.waitFor(
    async () => expect((await readyz()).body.checks.slack).toMatch(/^down for \d+ s: .*; reconnecting$/),
    { timeout: 10_000 },
  );
  // The client gives up on an HTTP error from apps.connections.open; Preflight keeps trying (1 s, 2 s, 4 s).
  await vi.waitFor(() => expect(socket.connections()).toBe(2), { timeout: 20_000, interval: 100 });
  await vi.waitFor(async () => expect((await readyz()).body.checks.slack).toBe('socket connected'), {
    timeout: 5_000,
  });
  const opens = slack.calls.filter((c) => c.method === 'apps.connections.open').map((c) => c.status);
  expect(opens).toEqual([200, 500, 500, 200]);

  const command = {
    ...slackFixture('slash-command'),
    user_id: 'U0ALICE01',
    command: '/deploy',
    text: 'plan toy',
    channel_id: DEPLOY_CHANNEL,
    response_url: slack.responseUrl('after-reconnect'),
    trigger_id: 'trigger-after-reconnect',
  };
  expect(await socket.deliver('slash_commands', command)).toEqual({});
  await vi.waitFor(
    () => expect(slack.responses.find((r) => r.tag === 'after-reconnect')?.body.text).toContain('Plan: toy'),
    { timeout: 10_000 },
  );
}, 60_000);
