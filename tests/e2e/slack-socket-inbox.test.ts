/**
 * Nothing acknowledged over Socket Mode is lost: an approval's envelope is acknowledged only once it is recorded
 * in Redis. With Redis down the envelope is not acknowledged (Slack delivers it again) and a command says it was
 * not recorded; once Redis is back, the redelivered approval is acknowledged after its record exists and counts once.
 */
import { beforeAll, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import { jobId } from '../../src/jobs/job-types.ts';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { Envelope } from '../helpers/fake-slack-socket.ts';
import { oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { eventCallback, reactionEvent, slackFixture } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = oneGateRunbook('sockin', { step: 'ship' });

const EVENT_ID = 'Ev0SOCKINBOX1';
const suite = useSlackSuite(RUNBOOK, { socketMode: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const command = (text: string, trigger: string) => ({
  ...slackFixture('slash-command'),
  user_id: 'U0ANN0001',
  command: '/deploy',
  text,
  channel_id: DEPLOY_CHANNEL,
  response_url: h.fake.responseUrl(trigger),
  trigger_id: trigger,
});

/** True once the bot logged that it left this envelope unacknowledged. */
const refused = (envelope: Envelope) =>
  h.logs.some((line) => line.includes(envelope.envelopeId) && line.includes('not acknowledged'));

it('acknowledges an approval only once it is recorded, and counts the redelivery once', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await socket.connected();
  await socket.deliver('slash_commands', command('start sockin v1.0.0', 'trigger-sockin-1'));
  const gate = await h.waitFor('the gate message', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );
  const event = JSON.parse(
    eventCallback(
      reactionEvent({ user: 'U0BEN0001', channel: gate.channel, ts: gate.ts, emoji: 'white_check_mark' }),
      EVENT_ID,
    ).body,
  );

  await suite.redis.kill();
  const first = socket.send('events_api', event);
  await h.waitFor('the failed record', () =>
    h.logs.some((line) => line.includes('could not record a Slack request') && line.includes(EVENT_ID)),
  );
  const status = await socket.deliver('slash_commands', command('status sockin-1', 'trigger-sockin-2'));
  expect(JSON.stringify(status)).toContain('could not record that just now');
  expect(socket.isAcked(first.envelopeId)).toBe(false);

  await suite.redis.restart();
  let attempt = 0;
  let redelivery = socket.send('events_api', event, ++attempt);
  const acked = await h.waitFor('an acknowledged redelivery', () => {
    if (socket.isAcked(redelivery.envelopeId)) return redelivery;
    if (refused(redelivery)) redelivery = socket.send('events_api', event, ++attempt);
    return undefined;
  });
  await acked.acked;
  const recorded = `${createKeySpace(h.preflight.prefix).queuePrefix}:${inboxQueueName('slack')}:${jobId('slack', EVENT_ID)}`;
  expect(await h.preflight.redis.exists(recorded)).toBe(1);
  expect(socket.isAcked(first.envelopeId)).toBe(false);

  await socket.deliver('events_api', event, attempt + 1);
  const d = await h.waitForState('sockin-1', ['succeeded'], 20_000);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
  const approvals = (await h.preflight.engine.store.audit('sockin-1')).filter(
    (r) => r.type === 'gate.approval' || r.type === 'gate.approved',
  );
  expect(approvals).toHaveLength(1);
});
