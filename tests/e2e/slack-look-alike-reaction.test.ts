/**
 * On Slack, a look-alike of ✅ (✔️, 👍 …) on a gate's message approves nothing, and one of 👀 (👁️, or a ✔️) on an
 * incident's message acknowledges nothing: the person whose answer is awaited is told so in the thread, privately,
 * once per message and emoji, with what counts. Anyone else's look-alike is only a reaction.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const s = useSlackSuite(oneGateRunbook('svc'));

const whispersTo = (user: string) =>
  s.h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user);
const settled = () =>
  s.h.waitFor('the inbox to be empty', async () => (await s.h.preflight.chat.inbox.pending()) === 0);

it('tells an approver in the thread that a ✔️ or 👍 approved nothing, once per emoji, and nobody else', async () => {
  const { h } = s;
  await h.command(ANN, '/deploy start svc v1.0.0');
  const gate = await h.waitFor('the gate prompt', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );

  await h.react(BEN, gate, 'heavy_check_mark');
  const whisper = await h.waitFor('the answer to the ✔️', () => whispersTo(BEN)[0]);
  expect(whisper.params).toMatchObject({
    channel: DEPLOY_CHANNEL,
    thread_ts: gate.threadTs,
    text: "⚠️ a ✔️ approves nothing, so no approval of the *Go* gate was counted: react ✅ on the gate's message, or press its Approve button",
  });

  await h.react(BEN, gate, 'heavy_check_mark', { added: false });
  await h.react(BEN, gate, 'heavy_check_mark');
  await h.react(BEN, gate, '+1::skin-tone-3');
  await h.waitFor('the answer to the 👍', () => whispersTo(BEN)[1]);
  // Ann requested it, so her approval would not count: her 👍 is only a reaction; her ✅ is refused as ever.
  await h.react(ANN, gate, '+1');
  await h.react(ANN, gate, 'white_check_mark');
  await h.waitFor('the refusal of Ann’s ✅', () => whispersTo(ANN)[0]);
  await settled();
  expect(whispersTo(BEN).map((c) => c.params.text)).toEqual([
    whisper.params.text,
    "⚠️ a 👍 approves nothing, so no approval of the *Go* gate was counted: react ✅ on the gate's message, or press its Approve button",
  ]);
  expect(whispersTo(ANN).map((c) => c.params.text)).toEqual([
    expect.stringMatching(/^⚠️ you requested this deployment, so your approval does not count/),
  ]);
  expect((await h.preflight.engine.store.get('svc-1'))?.gates.map((g) => g.status)).toEqual(['pending']);
});

it('tells the person paged that a 👁️ on the incident acknowledged nothing, and not a bystander', async () => {
  const { h } = s;
  await h.command(ANN, '/incident open svc checkout errors');
  const incident = await h.messageOf('INC-1', 'incident');
  const before = { ann: whispersTo(ANN).length, ben: whispersTo(BEN).length };

  // Only Ann is paged (L1): Ben's 👁️ is a reaction, his 👀 is refused.
  await h.react(BEN, incident, 'eye');
  await h.react(BEN, incident, 'eyes');
  await h.react(ANN, incident, 'eye');
  const told = await h.waitFor('the answer to Ann’s 👁️', () => whispersTo(ANN)[before.ann]);
  expect(told.params.text).toBe(
    '⚠️ a 👁️ acknowledges nothing, so INC-1 is not acknowledged and its paging goes on: react 👀 or ✅ on its message, press its Acknowledge button, or use `/ack INC-1`',
  );
  await h.waitFor('the refusal of Ben’s 👀', () => whispersTo(BEN)[before.ben]);
  await settled();
  expect(
    whispersTo(BEN)
      .slice(before.ben)
      .map((c) => c.params.text),
  ).toEqual([expect.stringMatching(/^⚠️ only the people paged for INC-1/)]);
  expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');

  await h.react(ANN, incident, 'eyes');
  await h.waitFor(
    'the ack',
    async () => (await h.preflight.engine.incidents.get('INC-1'))?.state === 'acknowledged',
  );
});
