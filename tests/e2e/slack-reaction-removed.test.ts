/**
 * Taking a ✅ off is not a request, so on Slack it never draws a refusal: not from someone the runbook does not know
 * nor from the requester (each told once, when they added it). Nothing is whispered or sent by direct message to
 * them, and nothing is audited as refused (a ✅ taken off that still counts is withdrawn as before:
 * slack-gate-reopen.test.ts). An approver whose ✅ comes off once the deployment is live is told their approval
 * stands (slack-approval-stands.test.ts for one whose step is running).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('svc'));
let h: SlackHarness;
let gate: FakeMessage | undefined;
beforeAll(() => {
  h = suite.h;
});

/** Someone in the workspace whom the runbook does not name. */
const STRANGER = 'U0STRANGE';

/** What Preflight said to `user` alone: ephemeral messages, direct messages. */
const toPerson = (user: string) =>
  h.fake.calls.filter(
    (c) =>
      (c.method === 'chat.postEphemeral' && c.params.user === user) ||
      (c.method === 'chat.postMessage' && c.params.channel === `D${user.slice(1)}`),
  );
const refusals = async () =>
  (await h.preflight.engine.store.audit('svc-1'))
    .filter((r) => r.type === 'access.refused')
    .map((r) => `${r.actor} ${String(r.detail.action)} ${String(r.detail.code)}`);
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
/** Reacts on the gate message and waits until the reaction is handled (it is recorded before Slack's 200). */
const react = async (user: string, added: boolean) => {
  if (!gate) throw new Error('the first test opens the gate');
  expect((await h.react(user, gate, 'white_check_mark', { added })).status).toBe(200);
  await handled();
};

describe('a ✅ taken off on Slack', () => {
  it('by someone the runbook does not know, or by the requester: refused once, when added, and not again', async () => {
    await h.command(ANN, '/deploy start svc v1.0.0');
    gate = await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    );

    await react(STRANGER, true);
    await react(ANN, true);
    expect(toPerson(STRANGER).map((c) => c.params.text)).toEqual([
      expect.stringMatching(/^⚠️ your slack user id \(U0STRANGE\) is not among the people of the svc runbook/),
    ]);
    expect(toPerson(ANN).map((c) => c.params.text)).toEqual([
      expect.stringMatching(/^⚠️ you requested this deployment, so your approval does not count/),
    ]);

    await react(STRANGER, false);
    await react(ANN, false);

    expect(toPerson(STRANGER)).toHaveLength(1);
    expect(toPerson(ANN)).toHaveLength(1);
    expect(await refusals()).toEqual([
      `slack:${STRANGER} gate.approve UNKNOWN_PERSON`,
      'ann gate.approve SELF_APPROVAL',
    ]);
    expect((await h.preflight.engine.store.get('svc-1'))?.state).toBe('awaiting_gates');
  }, 60_000);

  it('by an approver once the deployment is live: the approval stands, and they are told how to undo it', async () => {
    await react(BEN, true);
    await h.waitForState('svc-1', ['succeeded']);
    const told = toPerson(BEN).length;
    await react(BEN, false);

    // Not a refusal (nothing is audited as refused), but Ben meant to take his approval back: he is told it stands.
    expect(
      toPerson(BEN)
        .slice(told)
        .map((c) => [c.method, c.params.text]),
    ).toEqual([
      [
        'chat.postEphemeral',
        '⚠️ the Go gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): svc-1 is live. To undo it: `/rollback svc-1`.',
      ],
    ]);
    expect((await h.preflight.engine.store.get('svc-1'))?.gates[0]?.approvals.map((a) => a.by)).toEqual([
      'ben',
    ]);
    expect(await refusals()).toHaveLength(2);
  }, 60_000);
});
