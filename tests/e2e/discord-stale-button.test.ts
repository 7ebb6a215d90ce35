/**
 * Discord, like Slack (slack-stale-button.test.ts): a button pressed on a message Preflight has no record of (one an
 * earlier Preflight posted before its data was reset, whose `toy-1` is now another deployment) is refused with what
 * to do instead, and the gate it names still waits; the same button on the current gate message counts.
 */
import { expect, it } from 'vitest';
import { BOB, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();

it('refuses Approve on an unknown message and counts it on the current one', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const earlier = { ...operations, id: '100000000000000042' };

  const stale = await h.answer(h.click(BOB, earlier, 'gate.approve|toy-1:operations'));
  expect(stale.ephemeral).toBe(true);
  expect(stale.content).toBe(
    '⚠️ this button is on a message Preflight has no record of (posted before its data was reset, or more than 90 days ago), so toy-1 may now be something else; nothing was done. See `/deploy status toy-1`, and use the buttons on its current message or the command.',
  );
  const gate = async () =>
    (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'operations');
  expect((await gate())?.approvals).toEqual([]);

  const current = await h.answer(h.click(BOB, operations, 'gate.approve|toy-1:operations'));
  expect(current.content).toContain('approval counted for the Operations sign-off gate: 1 of 2');
  expect((await gate())?.approvals.map((a) => a.by)).toEqual(['bob']);
}, 90_000);
