/**
 * An approver reacts ✅ on the deployment's status message (the thread's first message, which says it waits for
 * approvals) instead of on the gate's own message: nothing is approved, and the person is told where it counts
 * rather than left believing they signed off. Once no gate waits, a ✅ there is only a reaction: nobody is told.
 */
import { expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const s = useSlackSuite(oneGateRunbook('svc'));

const whispersTo = (user: string) =>
  s.h.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === user);

it('tells an approver whose ✅ is on the status message to react on the gate’s message, and approves nothing', async () => {
  const { h } = s;
  await h.command(ANN, '/deploy start svc v1.0.0');
  const gate = await h.waitFor('the gate prompt', () =>
    h.fake.messages.find((m) => m.text.includes('*Go* gate')),
  );
  const status = h.fake.messages.find((m) => m.ts === gate.threadTs);
  if (!status) throw new Error('no status message');

  expect((await h.react(BEN, status, 'white_check_mark')).status).toBe(200);
  const whisper = await h.waitFor('the answer to the reaction', () => whispersTo(BEN)[0]);
  expect(whisper.params).toMatchObject({
    channel: DEPLOY_CHANNEL,
    thread_ts: status.ts,
    text: "⚠️ a ✅ on the status message approves or rejects nothing: react on the gate's own message in this thread (waiting: *Go*), or press its Approve or Reject button",
  });
  expect((await h.preflight.engine.store.get('svc-1'))?.gates.map((g) => g.status)).toEqual(['pending']);

  await h.react(BEN, gate, 'white_check_mark');
  await h.waitForState('svc-1', ['succeeded']);
  await h.react(ANN, status, 'white_check_mark');
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  expect(whispersTo(ANN)).toEqual([]);
});
