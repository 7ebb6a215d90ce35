/**
 * Socket Mode envelopes no Slack delivery has (no payload, an event callback without its event or event_id, a
 * slash command without its trigger, a button payload without actions, a type Preflight does not know, text that
 * is not JSON, more than the HTTP server takes in a body) are refused as over HTTP: each is said in the log with why and acknowledged (it would fail the same
 * way every time Slack sent it again), nothing fails unhandled, and the bot still hears the next command.
 */
import { beforeAll, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import { jobId } from '../../src/jobs/job-types.ts';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { slackFixture } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('sockbad'), { socketMode: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const HOSTILE: Record<string, { type: string; payload?: unknown }> = {
  'E-no-payload': { type: 'events_api' },
  'E-no-event': { type: 'events_api', payload: { type: 'event_callback', event_id: 'Ev0NOEVENT' } },
  'E-no-event-id': {
    type: 'events_api',
    payload: { type: 'event_callback', event: { type: 'reaction_added', user: ANN } },
  },
  'E-null-command': { type: 'slash_commands', payload: null },
  'E-command-no-trigger': { type: 'slash_commands', payload: { command: '/deploy', text: 'status' } },
  'E-click-no-actions': { type: 'interactive', payload: { type: 'block_actions', user: { id: ANN } } },
  'E-null-interactive': { type: 'interactive', payload: null },
  'E-unknown-type': { type: 'mystery', payload: {} },
  'E-huge': {
    type: 'events_api',
    payload: {
      type: 'event_callback',
      event_id: 'Ev0HUGEREPLY',
      event: {
        type: 'message',
        user: ANN,
        channel: DEPLOY_CHANNEL,
        ts: '1700000000.000200',
        thread_ts: '1700000000.000100',
        text: 'x'.repeat(1_600_000),
      },
    },
  },
};

it('refuses envelopes it cannot read, acknowledged and said why, and still hears the next command', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await socket.connected();
  socket.raw('{not json');
  for (const [id, envelope] of Object.entries(HOSTILE))
    socket.raw(JSON.stringify({ envelope_id: id, accepts_response_payload: false, ...envelope }));

  for (const id of Object.keys(HOSTILE)) {
    await h.waitFor(`${id} acknowledged`, () => socket.isAcked(id));
    expect(h.logs.find((line) => line.includes(`Slack envelope ${id}`))).toContain('refused: ');
  }
  const said = (id: string) => h.logs.find((line) => line.includes(`Slack envelope ${id}`)) ?? '';
  expect(said('E-no-event')).toContain('an event callback without its event');
  expect(said('E-no-event-id')).toContain('an event callback without its event_id');
  expect(said('E-command-no-trigger')).toContain('a slash command without trigger_id, user_id');
  expect(said('E-click-no-actions')).toContain('a block_actions payload without actions');
  expect(said('E-unknown-type')).toContain('a type Preflight does not know (mystery)');
  expect(h.logs.some((line) => line.includes('refused: it is not JSON'))).toBe(true);
  expect(said('E-huge')).toContain('refused: it is 1.5 MB; at most 1.0 MB is accepted');
  const huge = `${createKeySpace(h.preflight.prefix).queuePrefix}:${inboxQueueName('slack')}:${jobId('slack', 'Ev0HUGEREPLY')}`;
  expect(await h.preflight.redis.exists(huge)).toBe(0);

  const command = {
    ...slackFixture('slash-command'),
    user_id: ANN,
    command: '/deploy',
    text: 'start sockbad v1.0.0',
    channel_id: DEPLOY_CHANNEL,
    response_url: h.fake.responseUrl('after-hostile'),
    trigger_id: 'trigger-after-hostile',
  };
  expect(await socket.deliver('slash_commands', command)).toEqual({});
  const reply = await h.waitFor('the reply', () => h.fake.responses.find((r) => r.tag === 'after-hostile'));
  expect(String(reply.body.text)).toContain('Starting sockbad-1');
});
