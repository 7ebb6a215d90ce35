/**
 * Over Socket Mode as over HTTP: someone outside a gate's approvers is refused whether they press Approve or react
 * ✅, and a command or a click that Slack delivers twice (two envelopes of the same payload, at once) is applied
 * once and answered once.
 */
import { beforeAll, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { blockAction, slashCommand } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const EVE = 'U0EVE0001';
const RUNBOOK = oneGateRunbook('sockpar').replace('people:', `people:\n  eve: { name: Eve, slack: ${EVE} }`);
const suite = useSlackSuite(RUNBOOK, { socketMode: true });
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

it('refuses a non-approver on every input, and applies a doubled command and click once', async () => {
  const socket = h.socket;
  if (!socket) throw new Error('no socket');
  await socket.connected();
  const start = slashCommand({
    user: ANN,
    command: '/deploy',
    text: 'start sockpar v1.0.0',
    channel: DEPLOY_CHANNEL,
    responseUrl: h.fake.responseUrl('start'),
    triggerId: 'trigger-sockpar-start',
  });
  await Promise.all([socket.deliverRequest(start), socket.deliverRequest(start)]);
  const gate = await h.waitFor('the gate message', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );

  const { tag } = await h.click(EVE, gate, 'gate.approve');
  const refusal = await h.waitFor('the refusal', () => h.fake.responses.find((r) => r.tag === tag));
  expect(String(refusal.body.text)).toContain('only Ben can approve the Go gate');
  await h.react(EVE, gate, 'white_check_mark');
  await h.waitFor('the refusal of the ✅', () =>
    h.fake.calls.some((c) => c.method === 'chat.postEphemeral' && c.params.user === EVE),
  );
  expect((await h.preflight.engine.store.get('sockpar-1'))?.state).toBe('awaiting_gates');

  const approve = blockAction({
    user: BEN,
    channel: gate.channel,
    messageTs: gate.ts,
    actionId: 'gate.approve',
    value: 'sockpar-1:go',
    responseUrl: h.fake.responseUrl('approve'),
  });
  await Promise.all([socket.deliverRequest(approve), socket.deliverRequest(approve)]);
  const d = await h.waitForState('sockpar-1', ['succeeded']);
  expect(d.gates[0]?.approvals.map((a) => a.by)).toEqual(['ben']);
  await h.preflight.settled();
  expect(await h.preflight.engine.store.get('sockpar-2')).toBeUndefined();
  expect(h.fake.responses.filter((r) => r.tag === 'start')).toHaveLength(1);
  expect(h.fake.responses.filter((r) => r.tag === 'approve')).toHaveLength(1);
  const audit = await h.preflight.engine.store.audit('sockpar-1');
  expect(audit.filter((r) => r.type === 'gate.approved')).toHaveLength(1);
});
