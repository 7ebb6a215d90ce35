/**
 * A ✅ taken off takes back only what that ✅ gave (core/deployment/reaction-gave.ts). On Slack: a gate approval, a
 * checklist tick or a rollback approval given by a button or a command stands when the same person adds a ✅ and
 * takes it off again, and they are told so privately; one given by a ✅ is withdrawn by taking that ✅ off, whatever
 * button they pressed after it (it was already counted, and said so).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'given',
  `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Notes reviewed, owner: [ben] }
  - { id: support, title: Support told, owner: [cat] }
gates:
  go: { title: Go, approvers: [ben, cat], required: 2 }
steps:
  - { id: build, title: Build, needs: [go], run: "true" }
rollback:
  approval: { approvers: [ops], required: 2, allow_self: true }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const ephemeralTo = (user: string) =>
  h.fake.calls
    .filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user)
    .map((c) => String(c.params.text));
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
const react = async (user: string, message: FakeMessage, added = true) => {
  expect((await h.react(user, message, 'white_check_mark', { added })).status).toBe(200);
  await handled();
};
const press = async (user: string, message: FakeMessage, actionId: string) => {
  expect((await h.click(user, message, actionId)).status).toBe(200);
  await handled();
};
const deployment = async () => {
  const d = await h.preflight.engine.store.get('given-1');
  if (!d) throw new Error('no given-1');
  return d;
};
const inDeployChannel = (text: string) => () =>
  h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes(text));
/** What `user` was told privately from now on, once `count` answers have come. */
const toldAfter = (user: string) => {
  const before = ephemeralTo(user).length;
  return (count: number) =>
    h.waitFor(`${count} answers to ${user}`, () => {
      const told = ephemeralTo(user).slice(before);
      return told.length >= count ? told : undefined;
    });
};

describe('a ✅ taken off on Slack takes back only what that ✅ gave', () => {
  it('a checklist tick given by its button stands, and its ticker is told so', async () => {
    expect((await h.command(ANN, '/deploy start given v1.0.0')).status).toBe(200);
    const notes = await h.waitFor('the notes item', inDeployChannel('*Notes reviewed*'));
    const support = await h.waitFor('the support item', inDeployChannel('*Support told*'));
    await press(BEN, notes, 'checklist.tick');
    const told = toldAfter(BEN);
    await react(BEN, notes);
    await react(BEN, notes, false);

    expect((await deployment()).checklist.find((i) => i.id === 'notes')).toMatchObject({
      status: 'passed',
      by: 'ben',
    });
    expect((await told(1))[0]).toBe(
      '⚠️ your tick of "Notes reviewed" was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: it stands. To stop given-1: `/deploy abort given-1`.',
    );
    await react(CAT, support);
    await h.waitForState('given-1', ['awaiting_gates']);
  }, 60_000);

  it('a gate approval given by the Approve button stands; one given by a ✅ is withdrawn with it', async () => {
    const gate = await h.waitFor('the gate message', inDeployChannel('*Go* gate'));
    const approvers = async () => (await deployment()).gates[0]?.approvals.map((a) => a.by);

    // ✅, then Approve (already counted), then the ✅ taken off: the ✅ gave the approval, so it is withdrawn.
    await react(BEN, gate);
    await press(BEN, gate, 'gate.approve');
    await react(BEN, gate, false);
    expect(await approvers()).toEqual([]);

    // Approve, then ✅ (already counted), then the ✅ taken off: the button gave it, so it stands.
    await press(BEN, gate, 'gate.approve');
    const told = toldAfter(BEN);
    await react(BEN, gate);
    await react(BEN, gate, false);
    expect(await approvers()).toEqual(['ben']);
    expect((await told(1))[0]).toBe(
      "⚠️ your approval of the Go gate was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: it stands. To hold given-1's next steps: `/deploy pause given-1`; to stop it: `/deploy abort given-1`.",
    );
    const audit = await h.preflight.engine.store.audit('given-1');
    expect(audit.filter((r) => r.type === 'gate.withdrawn').map((r) => r.actor)).toEqual(['ben']);

    // After a restart (Ben's ✅ put on live, taken off while the bot was down, found gone by the read-back), and
    // taken on and off again live: the approval the button gave still stands.
    gate.reactedBy.white_check_mark = [BEN];
    await react(BEN, gate);
    const reads = () =>
      h.fake.calls.filter((c) => c.method === 'reactions.get' && c.params.timestamp === gate.ts);
    const read = reads().length;
    await h.restart(() => {
      gate.reactedBy.white_check_mark = [];
    });
    await h.waitFor('the gate read back', () => reads().length > read, 20_000);
    await handled();
    const again = toldAfter(BEN);
    await react(BEN, gate);
    await react(BEN, gate, false);
    expect(await again(1)).toHaveLength(1);
    expect(await approvers()).toEqual(['ben']);

    // Cat's ✅ passes the gate, and the deployment goes live.
    await react(CAT, gate);
    await h.waitForState('given-1', ['succeeded']);

    // Once it is live, Ben's ✅ on and off again says his approval stands and how to undo the deployment.
    const later = toldAfter(BEN);
    await react(BEN, gate);
    await react(BEN, gate, false);
    expect((await later(1))[0]).toBe(
      '⚠️ your approval of the Go gate was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: given-1 is live. To undo it: `/rollback given-1`.',
    );
    expect((await deployment()).state).toBe('succeeded');
  }, 60_000);

  it('a rollback approval given by the command stands', async () => {
    expect((await h.command(ANN, '/rollback given-1')).status).toBe(200);
    const ask = await h.waitFor('the rollback message', () =>
      h.fake.messages.find((m) =>
        m.blocks.some((b) =>
          ((b as { elements?: { action_id?: string }[] }).elements ?? []).some(
            (e) => e.action_id === 'rollback.approve',
          ),
        ),
      ),
    );
    const told = toldAfter(ANN);
    await react(ANN, ask);
    await react(ANN, ask, false);
    expect((await deployment()).rollback?.approvals.map((a) => a.by)).toEqual(['ann']);
    expect((await told(1))[0]).toBe(
      '⚠️ your approval of the rollback of given-1 was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: it stands, and it waits for 1 more approval, from Ben or Cat: the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback.',
    );
    // Ben's ✅ is the second approval: the rollback runs.
    await react(BEN, ask);
    await h.waitForState('given-1', ['rolled_back']);
  }, 60_000);
});
