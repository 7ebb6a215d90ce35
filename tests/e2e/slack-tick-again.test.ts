/**
 * Slack end to end: an owner ticks the last checklist item (the checklist passes and the gates are asked for), takes
 * the ✅ off (told privately that the tick stands) and puts it back. Putting it back asks for what is already so:
 * it is not refused as a request the deployment "cannot take now".
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

const whispers = () =>
  suite.h.fake.calls
    .filter((c) => c.method === 'chat.postEphemeral' && c.params.user === BEN)
    .map((c) => String(c.params.text));

it('answers a ✅ put back on a ticked item of a passed checklist with nothing to refuse', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  const item = await h.messageOf('shop-1', 'checklist-item:notes');
  await h.react(BEN, item, 'white_check_mark');
  await h.waitForState('shop-1', ['awaiting_gates']);
  await h.react(BEN, item, 'white_check_mark', { added: false });
  await h.waitFor('told the tick stands', () => whispers().find((t) => t.includes('stands')));

  await h.react(BEN, item, 'white_check_mark');
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  expect(whispers().filter((t) => t.includes('cannot take that now'))).toEqual([]);
  expect(whispers()).toHaveLength(1);
});
