/**
 * Slack's `disconnect` notice over Socket Mode: `refresh_requested` (Slack recycles the connection) is a reconnect
 * and the bot hears what comes next; `link_disabled` (Socket Mode turned off for the app) is said in the log and
 * in /readyz's Slack check with what to do, and the bot connects again once Slack lets it.
 */
import { beforeAll, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { slackFixture } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('sockoff'), { socketMode: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const plan = (tag: string) => ({
  ...slackFixture('slash-command'),
  user_id: ANN,
  command: '/deploy',
  text: 'plan sockoff',
  channel_id: DEPLOY_CHANNEL,
  response_url: h.fake.responseUrl(tag),
  trigger_id: `trigger-${tag}`,
});

const link = () => {
  const slack = h.preflight.chat.links.slack;
  if (!slack) throw new Error('no Slack link');
  return slack();
};

it('reconnects when Slack asks for a new connection, and hears the next command', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await socket.connected();
  const opened = socket.connections();
  socket.raw(
    JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'wss-1' } }),
  );
  await h.waitFor('the new connection', () => socket.connections() > opened && link().up);
  expect(h.logs.some((line) => line.includes('Slack asked for a new connection (refresh_requested)'))).toBe(
    true,
  );
  expect(await socket.deliver('slash_commands', plan('after-refresh'))).toEqual({});
  const reply = await h.waitFor('the plan', () => h.fake.responses.find((r) => r.tag === 'after-refresh'));
  expect(String(reply.body.text)).toContain('Plan: sockoff');
});

it('says what to do when Slack turns Socket Mode off, and connects again once it is back on', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await h.waitFor('the connection', () => link().up);
  const opened = socket.connections();
  // While Socket Mode is off, Slack hands out no connection.
  h.fake.fail('apps.connections.open', { status: 500 }, 1_000);
  socket.raw(JSON.stringify({ type: 'disconnect', reason: 'link_disabled', debug_info: { host: 'wss-1' } }));
  const said = await h.waitFor('the error in the log', () =>
    h.logs.find((line) => line.includes('link_disabled')),
  );
  expect(said).toContain('"level":50');
  expect(said).toContain('unset SLACK_APP_TOKEN, set SLACK_SIGNING_SECRET');
  await h.waitFor('a refused reconnect', () =>
    h.fake.calls.some((c) => c.method === 'apps.connections.open' && c.status === 500),
  );
  expect(link().up).toBe(false);
  expect(link().detail).toContain('Slack turned Socket Mode off for this app (link_disabled)');

  h.fake.heal('apps.connections.open');
  await h.waitFor('the new connection', () => socket.connections() > opened && link().up, 40_000);
  expect(await socket.deliver('slash_commands', plan('after-enabled'))).toEqual({});
  await h.waitFor('the plan', () => h.fake.responses.find((r) => r.tag === 'after-enabled'));
}, 60_000);
