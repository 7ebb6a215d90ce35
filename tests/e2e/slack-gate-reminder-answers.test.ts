/**
 * A gate's reminder asks the same people for the same gate as the gate's message, so a ✅ on the reminder answers
 * the gate as a ✅ on the gate's message would: an approver's approves it; an outsider's, and the requester's own,
 * are refused in the same words, to the person only (real Bolt receiver, real BullMQ timers, fake Slack Web API).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const CAT = 'U0CAT0001';

const RUNBOOK = `version: 1
service: nudge
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
  cat: { name: Cat, slack: ${CAT} }
groups: { ops: [ann, cat], security: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  sec: { title: Security, approvers: [security], remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [sec], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let reminder: FakeMessage;
beforeAll(async () => {
  h = suite.h;
  expect((await h.command(ANN, '/deploy start nudge v1.0.0')).status).toBe(200);
  reminder = await h.waitFor(
    'a reminder',
    () => h.fake.messages.find((m) => m.text.startsWith('Reminder: the Security gate')),
    20_000,
  );
});

const whisperTo = (user: string) =>
  h.waitFor(`the answer to ${user}`, () =>
    h.fake.calls.findLast((c) => c.method === 'chat.postEphemeral' && c.params.user === user),
  );
const gate = async () => (await h.preflight.engine.store.get('nudge-1'))?.gates.find((g) => g.id === 'sec');

describe('a ✅ on a gate’s reminder', () => {
  it('from someone who is no approver of the gate is refused as on the gate’s message', async () => {
    expect((await h.react(CAT, reminder, 'white_check_mark')).status).toBe(200);
    expect((await whisperTo(CAT)).params.text).toBe(
      '⚠️ only Ben can approve the Security gate (gates.sec.approvers, not Ann: they requested this deployment); your approval was not counted',
    );
    expect((await gate())?.approvals).toEqual([]);
  });

  it('from the requester is refused: their approval of their own deployment does not count', async () => {
    expect((await h.react(ANN, reminder, 'white_check_mark')).status).toBe(200);
    expect(String((await whisperTo(ANN)).params.text)).toMatch(
      /^⚠️ you requested this deployment, so your approval does not count for the Security gate/,
    );
    expect((await gate())?.approvals).toEqual([]);
  });

  it('from an approver approves the gate, and the deployment goes on', async () => {
    expect((await h.react(BEN, reminder, 'white_check_mark')).status).toBe(200);
    await h.waitForState('nudge-1', ['succeeded'], 20_000);
    expect((await gate())?.approvals.map((a) => a.by)).toEqual(['ben']);
  });
});
