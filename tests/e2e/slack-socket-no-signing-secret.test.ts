/**
 * `preflight start` in Socket Mode (the real bin) with no SLACK_SIGNING_SECRET: Slack signs nothing on the
 * WebSocket, so the bot starts, hears a slash command, and tells a request to /slack/events where events go. Over
 * HTTP the signing secret is still required, in one line naming it.
 */
import { spawnSync } from 'node:child_process';
import { expect, it, vi } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { slackFixture } from '../helpers/signed-slack.ts';
import { useSocketModeBot } from '../helpers/socket-mode-bot.ts';

// Empty is unset (config.ts), whatever the test's own environment holds.
const world = useSocketModeBot('');

it('starts in Socket Mode without a signing secret, hears a command, and says where events go', async () => {
  await world.socket.connected();
  const command = {
    ...slackFixture('slash-command'),
    user_id: 'U0ALICE01',
    command: '/deploy',
    text: 'plan toy',
    channel_id: DEPLOY_CHANNEL,
    response_url: world.slack.responseUrl('socket-plan'),
    trigger_id: 'trigger-socket-plan',
  };
  expect(await world.socket.deliver('slash_commands', command)).toEqual({});
  await vi.waitFor(
    () =>
      expect(world.slack.responses.find((r) => r.tag === 'socket-plan')?.body.text).toContain('Plan: toy'),
    { timeout: 10_000 },
  );
  const events = await fetch(`${world.bot.base}/slack/events`, { method: 'POST', body: '{}' });
  expect(events.status).toBe(404);
  expect(await events.json()).toEqual({
    error:
      'Slack runs in Socket Mode on this Preflight (SLACK_APP_TOKEN is set): its events come over the WebSocket, not to /slack/events. To use this Request URL instead, unset SLACK_APP_TOKEN, set SLACK_SIGNING_SECRET and restart',
  });
}, 60_000);

it('still needs SLACK_SIGNING_SECRET over HTTP, and says so in one line naming it', () => {
  const result = spawnSync(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
    cwd: world.sandbox.dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      REDIS_URL: world.redis.url,
      SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: '',
    },
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toBe(
    'preflight: SLACK_SIGNING_SECRET is not set: Slack over HTTP (POST /slack/events) needs it together with SLACK_BOT_TOKEN; or set SLACK_APP_TOKEN for Socket Mode, which does not\n',
  );
});
