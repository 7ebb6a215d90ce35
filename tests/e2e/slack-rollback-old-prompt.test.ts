/**
 * A rollback asked again after a rollback step failed has a prompt of its own. A ✅ or an Approve rollback pressed on the earlier
 * rollback's message does not approve the later one (its approver has not seen what it was asked for, or why): the
 * person is told so and where to approve it, and it still waits; taking a ✅ off the earlier message takes nothing
 * from the later one.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { blockAction } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'again',
  `groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: ship, title: Ship, run: "true" }
rollback:
  approval: { approvers: [ben, cat], required: 2 }
  steps:
    - { id: restore, title: Restore, run: "exit 3" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let first: FakeMessage;
let second: FakeMessage;

const prompts = () => h.fake.messages.filter((m) => m.text.startsWith('↩️ *Rollback* of again-1'));

beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start again v1.0.0');
  await h.waitForState('again-1', ['succeeded']);
  await h.command(ANN, '/rollback again-1');
  first = await h.waitFor('the first rollback prompt', () => prompts()[0]);
  await h.react(BEN, first, 'white_check_mark');
  await h.react(CAT, first, 'white_check_mark');
  await h.waitForState('again-1', ['needs_decision']);
  await h.command(ANN, '/rollback again-1');
  second = await h.waitFor('the second rollback prompt', () => prompts()[1]);
  await h.waitForState('again-1', ['rolling_back']);
});

async function pressApprove(user: string, on: FakeMessage): Promise<string> {
  const tag = randomUUID();
  await h.send(
    blockAction({
      user,
      channel: on.channel,
      messageTs: on.ts,
      actionId: 'rollback.approve',
      value: 'again-1',
      responseUrl: h.fake.responseUrl(tag),
    }),
  );
  const told = await h.waitFor('the answer to the press', () => h.fake.responses.find((r) => r.tag === tag));
  return String(told.body.text);
}

const waiting = async () => {
  const d = await h.preflight.engine.store.get('again-1');
  return { state: d?.state, started: d?.rollback?.started, approvals: d?.rollback?.approvals.length };
};
const STILL_WAITING = { state: 'rolling_back', started: false, approvals: 0 };

it('does not take a ✅ on the earlier rollback’s message for the later rollback', async () => {
  expect((await h.react(CAT, first, 'white_check_mark')).status).toBe(200);
  const told = await h.waitFor('the answer to the ✅', () =>
    h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === CAT),
  );
  expect(String(told.params.text)).toMatch(/^⚠️ this is the message of an earlier rollback of again-1/);
  expect(await waiting()).toEqual(STILL_WAITING);
});

it('does not take Approve rollback pressed on the earlier message either', async () => {
  expect(await pressApprove(CAT, first)).toMatch(/^⚠️ this is the message of an earlier rollback of again-1/);
  expect(await waiting()).toEqual(STILL_WAITING);
});

it('takes approvals on the later rollback’s own message; a ✅ taken off the earlier one withdraws none of them', async () => {
  expect(await pressApprove(BEN, second)).toMatch(/1 of 2/);
  expect((await h.react(BEN, first, 'white_check_mark', { added: false })).status).toBe(200);
  expect(await pressApprove(BEN, second)).toMatch(/^you approved this rollback already/);
  await h.react(CAT, second, 'white_check_mark');
  await h.waitForState('again-1', ['needs_decision']);
  const d = await h.preflight.engine.store.get('again-1');
  expect(d?.rollback?.approvals.map((a) => a.by)).toEqual(['ben', 'cat']);
  const audit = await h.preflight.engine.store.audit('again-1');
  expect(audit.filter((r) => r.type === 'rollback.approval_withdrawn')).toEqual([]);
});
