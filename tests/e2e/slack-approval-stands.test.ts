/**
 * Taking a ✅ off a gate that has already closed on it withdraws nothing: on Slack the person is told, privately in
 * the gate's thread, that their approval stands and what stops or undoes the deployment instead, while its step
 * runs and once it is live. (A ✅ taken off while the gate can still reopen withdraws it: slack-gate-reopen.test.ts.)
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';

const RUNBOOK = `version: 1
service: hold
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
  ben: { name: Ben, slack: ${BEN} }
groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: build, title: Build, needs: [go], run: "sleep 300", timeout: 10m }
rollback:
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

/** Ephemeral messages Preflight showed `user`. */
const ephemeralTo = (user: string) =>
  h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user);
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);

describe('a ✅ taken off a gate that already closed, on Slack', () => {
  it('tells the approver, in the gate’s thread, that the approval stands and how to stop the deployment', async () => {
    expect((await h.command(ANN, '/deploy start hold v1.0.0')).status).toBe(200);
    // Whatever happens, its long step is stopped (a bot that stops lets its running steps finish).
    onTestFinished(async () => {
      await h.command(ANN, '/deploy abort hold-1 end of test');
      await h.waitForState('hold-1', ['aborted']);
    });
    const gate: FakeMessage = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    );
    expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
    await h.waitFor('Build running', async () => {
      const d = await h.preflight.engine.store.get('hold-1');
      return d?.steps[0]?.status === 'running';
    });
    const before = ephemeralTo(BEN).length;

    expect((await h.react(BEN, gate, 'white_check_mark', { added: false })).status).toBe(200);
    await handled();
    const told = await h.waitFor('the answer to Ben', () => ephemeralTo(BEN)[before]);
    expect(told.params.text).toBe(
      "⚠️ the Go gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): the steps it let through have started. To hold hold-1's next steps: `/deploy pause hold-1`; to stop it: `/deploy abort hold-1`.",
    );
    expect(told.params.channel).toBe(DEPLOY_CHANNEL);
    expect(told.params.thread_ts).toBe(gate.threadTs ?? gate.ts);
    const d = await h.preflight.engine.store.get('hold-1');
    expect(d?.gates[0]).toMatchObject({ status: 'approved', approvals: [{ by: 'ben' }] });
    expect(d?.steps[0]?.status).toBe('running');
    // It is no refusal of access: nothing is audited as refused.
    const audit = await h.preflight.engine.store.audit('hold-1');
    expect(audit.filter((r) => r.type === 'access.refused' || r.type === 'gate.withdrawn')).toEqual([]);
  }, 60_000);
});
