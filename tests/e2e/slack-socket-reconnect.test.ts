/**
 * `preflight start` in Socket Mode (the real bin) when Slack's `apps.connections.open` fails after a drop: the
 * bot keeps trying until it is connected again, hears what comes next, and /readyz tells the truth meanwhile.
 */
import { expect, it, vi } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { SIGNING_SECRET, slackFixture } from '../helpers/signed-slack.ts';
import { useSocketModeBot } from '../helpers/socket-mode-bot.ts';

const world = useSocketModeBot(SIGNING_SECRET);

const readyz = async () => {
  const answer = await fetch(`${world.bot.base}/readyz`);
  return { status: answer.status, body: (await answer.json()) as { checks: Record<string, string> } };
};

it('reconnects after apps.connections.open failed with 500s, and hears the next command', async () => {
  await world.socket.connected();
  expect((await readyz()).body.checks.slack).toBe('socket connected');

  world.slack.fail('apps.connections.open', { status: 500 }, 2);
  world.socket.drop();
  // While it is down, /readyz says so (still ready: a reconnect is under way, not yet overdue).
  await vi.waitFor(
    async () => expect((await readyz()).body.checks.slack).toMatch(/^down for \d+ s: .*; reconnecting$/),
    { timeout: 10_000 },
  );
  // The client gives up on an HTTP error from apps.connections.open; Preflight keeps trying (1 s, 2 s, 4 s).
  await vi.waitFor(() => expect(world.socket.connections()).toBe(2), { timeout: 20_000, interval: 100 });
  await vi.waitFor(async () => expect((await readyz()).body.checks.slack).toBe('socket connected'), {
    timeout: 5_000,
  });
  const opens = world.slack.calls.filter((c) => c.method === 'apps.connections.open').map((c) => c.status);
  expect(opens).toEqual([200, 500, 500, 200]);

  const command = {
    ...slackFixture('slash-command'),
    user_id: 'U0ALICE01',
    command: '/deploy',
    text: 'plan toy',
    channel_id: DEPLOY_CHANNEL,
    response_url: world.slack.responseUrl('after-reconnect'),
    trigger_id: 'trigger-after-reconnect',
  };
  expect(await world.socket.deliver('slash_commands', command)).toEqual({});
  await vi.waitFor(
    () =>
      expect(world.slack.responses.find((r) => r.tag === 'after-reconnect')?.body.text).toContain(
        'Plan: toy',
      ),
    { timeout: 10_000 },
  );
}, 60_000);
