/**
 * Slack's message ts is unique within a channel only: a ✅ on a message in another channel that happens to carry a
 * gate prompt's ts is not on the prompt (the message index keys a message by its channel too). It approves nothing,
 * and the approver hears nothing about the gate: only that the message they reacted on is not one Preflight knows.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const s = useSlackSuite(oneGateRunbook('svc'));

it('a ✅ in another channel on a message with a gate prompt’s ts approves nothing and says nothing of the gate', async () => {
  const { h } = s;
  await h.command(ANN, '/deploy start svc v1.0.0');
  const gate = await h.waitFor('the gate prompt', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );
  expect(gate.channel).toBe(DEPLOY_CHANNEL);
  const elsewhere = { ...gate, channel: INCIDENT_CHANNEL };

  expect((await h.react(BEN, elsewhere, 'white_check_mark')).status).toBe(200);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  expect((await h.preflight.engine.store.get('svc-1'))?.gates.map((g) => g.status)).toEqual(['pending']);
  // The message is the bot's (item_user), but not one the index has: the answer is the general one, in that channel.
  const told = h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === BEN);
  expect(told.map((c) => c.params)).toEqual([
    expect.objectContaining({
      channel: INCIDENT_CHANNEL,
      text: '⚠️ this message is not one Preflight has a record of (posted before its data was reset, or more than 90 days ago), so your reaction did nothing. Find the current message with `/deploy status` or `/incident status` and react there, or use the command.',
    }),
  ]);
  expect(told[0]?.params.thread_ts).toBeUndefined();

  await h.react(BEN, gate, 'white_check_mark');
  await h.waitForState('svc-1', ['succeeded']);
});
