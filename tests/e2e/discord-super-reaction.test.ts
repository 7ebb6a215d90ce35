/**
 * A super reaction (Discord's burst reaction) ✅ is a ✅: it approves live, and the approval survives a restart.
 * Discord lists super reactions apart from normal ones (GET …/reactions/{emoji}?type=1), so a read-back that asked
 * for normal ones only found the approver's ✅ gone and took the approval away.
 */
import { expect, it } from 'vitest';
import { BOB, CAROL, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();

it('keeps an approval given by super reaction across a restart', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const approvers = async () =>
    (await h.preflight().engine.store.get('toy-1'))?.gates
      .find((g) => g.id === 'operations')
      ?.approvals.map((a) => a.by);

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
}, 120_000);
