/**
 * Slack end to end: while the checklist runs, an owner reacts ✅ on the deployment's status message (or on the
 * checklist's summary) instead of on the item's own message. Nothing is ticked, and they are told privately where a
 * tick counts: not sent to gate messages that are not posted yet.
 */
import { expect, it } from 'vitest';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(
  oneGateRunbook('shop').replace(
    'steps:',
    'checklist:\n  - { id: notes, title: Notes reviewed, owner: [ben] }\nsteps:',
  ),
);

const told = (text: string) =>
  suite.h.waitFor(`the answer ${text.slice(0, 30)}`, () =>
    suite.h.fake.calls.find(
      (c) =>
        c.method === 'chat.postEphemeral' && c.params.user === BEN && String(c.params.text).includes(text),
    ),
  );

it('tells an owner who reacts ✅ on the status or checklist message to tick the item on its own message', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['checklist']);
  const root = await h.messageOf('shop-1', 'status');
  const summary = await h.messageOf('shop-1', 'checklist');

  await h.react(BEN, root, 'white_check_mark');
  expect((await told('on the status message')).params.text).toBe(
    "⚠️ a ✅ on the status message ticks and approves nothing: the checklist comes first (open: *Notes reviewed*); its owners tick each item on the item's own message in this thread, or press its Done button, and the gates are asked for once it passes",
  );
  await h.react(BEN, summary, 'white_check_mark');
  expect((await told('on the checklist message')).params.text).toContain(
    '⚠️ a ✅ on the checklist message ticks and approves nothing: the checklist comes first (open: *Notes reviewed*)',
  );
  const d = await h.preflight.engine.store.get('shop-1');
  expect(d?.state).toBe('checklist');
  expect(d?.checklist.map((c) => c.status)).toEqual(['pending']);
});
