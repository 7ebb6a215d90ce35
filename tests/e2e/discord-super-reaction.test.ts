/**
 * A super reaction (Discord's burst reaction) ✅ is a ✅: it approves live, and the approval survives a restart.
 * Discord lists super reactions apart from normal ones (GET …/reactions/{emoji}?type=1), so a read-back that asked
 * for normal ones only found the approver's ✅ gone and took the approval away. And a person may have both on one
 * message: taking one off leaves a ✅ there, and the approval stands.
 */
import { expect, it } from 'vitest';
import { ALICE, BOB, CAROL, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
/** Who approved toy-`n`'s Operations gate, as the store has it. */
const approversOf = async (n: number) =>
  (await harness().preflight().engine.store.get(`toy-${n}`))?.gates
    .find((g) => g.id === 'operations')
    ?.approvals.map((a) => a.by);

it('keeps an approval given by super reaction across a restart', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const approvers = () => approversOf(1);

  h.react(BOB, operations, '✅', true, true);
  await h.waitFor('Bob’s approval', async () => (await approvers())?.includes('bob'));

  // Erin (no approver) reacts while the bot is down: the read-back on the next session records her ✅, and with it
  // whatever else it found on the gate's message.
  const readBacks = () => h.logs.filter((l) => l.includes('reactions read back after a gap')).length;
  const before = readBacks();
  await h.restart(() => h.react(ERIN, operations, '✅'));
  await h.waitFor('the read-back', () => readBacks() > before);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  expect(await approvers()).toEqual(['bob']);

  h.react(CAROL, operations, '✅');
  await h.waitFor('the gate approved', async () => (await approvers())?.includes('carol'));
  const gate = (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'operations');
  expect([gate?.status, gate?.approvals.map((a) => a.by)]).toEqual(['approved', ['bob', 'carol']]);
  await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1' }));
  await h.waitForState('toy-1', ['aborted']);
}, 120_000);

it('keeps an approval when one of a person’s two ✅ (normal and super) is taken off', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.1');
  h.react(BOB, operations, '✅');
  h.react(BOB, operations, '✅', true, true);
  await h.waitFor('Bob’s approval', async () => (await approversOf(2))?.includes('bob'));
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

  h.react(BOB, operations, '✅', false);
  h.react(ERIN, operations, '✅');
  // Erin's ✅ comes after Bob's removal and is answered after it: once she is told, Bob's removal was handled.
  await h.waitFor('Erin told', () =>
    h.fake.world.messages.find((m) => h.fake.world.channels.get(m.channel_id)?.recipient === ERIN),
  );
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  expect(await approversOf(2)).toEqual(['bob']);
}, 120_000);
