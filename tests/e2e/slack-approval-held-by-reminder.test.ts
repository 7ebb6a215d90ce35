/**
 * A gate's reminder asks for the same gate, so an approver's ✅ there and on the gate's message both hold their one
 * approval (core/deployment/reaction-held.ts): taking one of them off leaves it standing (nothing is said), the
 * last one taken off withdraws it, whichever was put on first, and after a restart that read the ✅ back as well
 * (real Bolt receiver, real BullMQ timers and Redis, fake Slack Web API).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const suite = useSlackSuite(
  threePeopleRunbook(
    'held',
    `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ben, cat], required: 2, remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

const STANDS =
  "your approval of the Go gate stands: your ✅ on another of the gate's messages (its own or a reminder) still gives it. To withdraw it, take that ✅ off too.";

let h: SlackHarness;
let gate: FakeMessage;
beforeAll(async () => {
  h = suite.h;
  expect((await h.command(ANN, '/deploy start held v1.0.0')).status).toBe(200);
  gate = await h.messageOf('held-1', 'gate:go');
});

const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
/** Ben puts his ✅ on `message` (or takes it off), as Slack keeps it and tells the bot. */
const react = async (message: FakeMessage, added = true) => {
  const others = (message.reactedBy.white_check_mark ?? []).filter((u) => u !== BEN);
  message.reactedBy.white_check_mark = added ? [...others, BEN] : others;
  expect((await h.react(BEN, message, 'white_check_mark', { added })).status).toBe(200);
  await handled();
};
const approvers = async () =>
  (await h.preflight.engine.store.get('held-1'))?.gates[0]?.approvals.map((a) => a.by);
const toBen = () =>
  h.fake.calls
    .filter((c) => c.method === 'chat.postEphemeral' && c.params.user === BEN)
    .map((c) => String(c.params.text));
const withdrawals = () => h.fake.messages.filter((m) => m.text.includes('withdrew their approval')).length;
const withdrawn = async () =>
  (await h.preflight.engine.store.audit('held-1')).filter((r) => r.type === 'gate.withdrawn').length;

describe('an approver’s ✅ on the gate’s message and on its reminder', () => {
  it('✅ on the gate, then on a reminder: the gate’s taken off leaves it; the reminder’s withdraws it', async () => {
    const reminder = await h.messageOf('held-1', 'note:remind:go:1');
    await react(gate);
    await react(reminder);
    await react(gate, false);
    expect(await approvers()).toEqual(['ben']);
    // As a ✅ that withdraws nothing: nothing is said in the thread or to Ben (the log says why it stands).
    await h.waitFor('the log saying why', () => h.logs.some((l) => l.includes(STANDS)));
    expect([withdrawals(), toBen()]).toEqual([0, []]);

    await react(reminder, false);
    expect(await approvers()).toEqual([]);
    await h.waitFor('the withdrawal in the thread', () => withdrawals() === 1);
  }, 60_000);

  it('✅ on a reminder, then on the gate: the reminder’s taken off leaves it; the gate’s withdraws it', async () => {
    const reminder = await h.messageOf('held-1', 'note:remind:go:2');
    await react(reminder);
    await react(gate);
    await react(reminder, false);
    expect(await approvers()).toEqual(['ben']);
    expect([withdrawals(), toBen()]).toEqual([1, []]);

    await react(gate, false);
    expect(await approvers()).toEqual([]);
    await h.waitFor('the second withdrawal in the thread', () => withdrawals() === 2);
  }, 60_000);

  it('after a restart: a ✅ moved from the gate to a reminder while the bot was down keeps the approval', async () => {
    await react(gate);
    expect(await approvers()).toEqual(['ben']);
    // The latest reminder (the read-back reads the latest ten).
    const latest = (await h.preflight.engine.store.get('held-1'))?.gates[0]?.reminders;
    const reminder = await h.messageOf('held-1', `note:remind:go:${latest}`);
    const reads = () =>
      h.fake.calls.filter((c) => c.method === 'reactions.get' && c.params.timestamp === reminder.ts);
    const read = reads().length;
    await h.restart(() => {
      reminder.reactedBy.white_check_mark = [BEN];
      gate.reactedBy.white_check_mark = [];
    });
    await h.waitFor('the reminder read back', () => reads().length > read, 20_000);
    await handled();
    expect(await approvers()).toEqual(['ben']);
    // Not withdrawn and given again on the way: the read-back took the reminder's ✅ before the gate's was gone.
    expect(await withdrawn()).toBe(2);

    // The gate's ✅ found gone is taken off once the reminder's holds the approval (the read-back's next look).
    const held = async () =>
      (await h.preflight.engine.store.get('held-1'))?.gates[0]?.approvals[0]?.heldOn?.map((m) => m.onMessage);
    await h.waitFor('the gate’s ✅ taken off', async () => (await held())?.join() === reminder.ts, 30_000);
    expect(await withdrawn()).toBe(2);

    // The approval, read back as held by the reminder's ✅ alone, is withdrawn by taking that one off.
    await react(reminder, false);
    expect(await approvers()).toEqual([]);
    await h.waitFor('the third withdrawal in the thread', () => withdrawals() === 3);
    // Cat's ✅ and Ben's again pass the gate: the deployment goes on.
    expect((await h.react(CAT, gate, 'white_check_mark')).status).toBe(200);
    await react(gate);
    await h.waitForState('held-1', ['succeeded']);
  }, 60_000);
});
