import { beforeAll, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { eventCallback, reactionEvent, slackFixture } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = `version: 1
service: sock
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
  ben: { name: Ben, slack: U0BEN0001 }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK, { socketMode: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

it('runs a deployment over Socket Mode: a slash command and a reaction delivered twice, applied once', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await socket.connected();
  expect(h.fake.calls.map((c) => c.method)).toContain('apps.connections.open');
  const http = await fetch(`${h.base}/slack/events`, { method: 'POST', body: '{}' });
  expect(http.status).toBe(404);

  const command = {
    ...slackFixture('slash-command'),
    user_id: 'U0ANN0001',
    command: '/deploy',
    text: 'start sock v1.0.0',
    channel_id: DEPLOY_CHANNEL,
    response_url: h.fake.responseUrl('socket-start'),
    trigger_id: 'trigger-socket-1',
  };
  expect(await socket.deliver('slash_commands', command)).toEqual({});
  const reply = await h.waitFor('the reply', () => h.fake.responses.find((r) => r.tag === 'socket-start'));
  expect(String(reply.body.text)).toContain('Starting sock-1');

  const gate = await h.waitFor('the gate message', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );
  const event = JSON.parse(
    eventCallback(
      reactionEvent({ user: 'U0BEN0001', channel: gate.channel, ts: gate.ts, emoji: 'white_check_mark' }),
      'Ev0SOCKET01',
    ).body,
  );
  await socket.deliver('events_api', event);
  await socket.deliver('events_api', event, 1);
  const d = await h.waitForState('sock-1', ['succeeded'], 20_000);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
  const approvals = (await h.preflight.engine.store.audit('sock-1')).filter(
    (r) => r.type === 'gate.approved',
  );
  expect(approvals).toHaveLength(1);
});

it('reads back a reaction made while the WebSocket was cut, once it is connected again', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  const command = {
    ...slackFixture('slash-command'),
    user_id: 'U0ANN0001',
    command: '/deploy',
    text: 'start sock v1.1.0',
    channel_id: DEPLOY_CHANNEL,
    response_url: h.fake.responseUrl('socket-start-2'),
    trigger_id: 'trigger-socket-2',
  };
  expect(await socket.deliver('slash_commands', command)).toEqual({});
  const reply = await h.waitFor('the reply', () => h.fake.responses.find((r) => r.tag === 'socket-start-2'));
  expect(String(reply.body.text)).toContain('Starting sock-2');
  const gate = await h.waitFor(
    'the second gate message',
    () => h.fake.messages.filter((m) => m.text.includes('*Go* gate'))[1],
  );
  const opened = socket.connections();
  socket.drop();
  // Ben approves while the bot cannot hear it; Slack keeps the reaction on the message.
  gate.reactedBy.white_check_mark = ['U0BEN0001'];
  await h.waitFor('the reconnection', () => socket.connections() > opened);
  const d = await h.waitForState('sock-2', ['succeeded'], 20_000);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
}, 40_000);
