/**
 * An approval given by a ✅ on one of a gate's early reminders, taken off while the bot was down, is withdrawn when
 * it starts again, however many reminders came after it: the read-back reads the messages counted approvals were
 * given on, not only the latest reminders, so no approval stays counted whose ✅ is gone.
 */
import { expect, it } from 'vitest';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const suite = useSlackSuite(
  threePeopleRunbook(
    'nudge',
    `groups: { ops: [ann], security: [ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates:
  sec: { title: Security, approvers: [security], required: 2, remind_every: 1s, expires: 1h }
steps:
  - { id: build, title: Build, needs: [sec], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
  ),
);

it('a ✅ taken off an early reminder while the bot was down withdraws the approval it gave', async () => {
  const { h } = suite;
  expect((await h.command(ANN, '/deploy start nudge v1.0.0')).status).toBe(200);
  const first = await h.messageOf('nudge-1', 'note:remind:sec:1');
  // Slack keeps the ✅ on the message (what a read-back finds), and tells the bot of it.
  first.reactedBy.white_check_mark = [BEN];
  expect((await h.react(BEN, first, 'white_check_mark')).status).toBe(200);
  const approvals = async () =>
    (await h.preflight.engine.store.get('nudge-1'))?.gates[0]?.approvals.map((a) => a.by);
  await h.waitFor('Ben’s approval', async () => (await approvals())?.includes('ben'));
  // Eleven more reminders reach the channel while the gate waits for its second approval.
  await h.messageOf('nudge-1', 'note:remind:sec:12');

  await h.restart(() => {
    first.reactedBy.white_check_mark = [];
  });
  await h.waitFor('Ben’s approval withdrawn', async () => (await approvals())?.length === 0, 20_000);
  expect((await h.preflight.engine.store.get('nudge-1'))?.gates[0]?.status).toBe('pending');
});
