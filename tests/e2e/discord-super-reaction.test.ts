/**
 * A super reaction (Discord's burst reaction) ✅ is a ✅: it approves live, and the approval survives a restart.
 * Discord lists super reactions apart from normal ones (GET …/reactions/{emoji}?type=1), so a read-back that asked
 * for normal ones only found the approver's ✅ gone and took the approval away. And a person may have both on one
 * message: taking one off leaves a ✅ there, and the approval stands, whether the bot heard both live or read them
 * back after a restart; taking off the other withdraws it.
 */
import { expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import type { FakeDiscordMessage } from '../helpers/fake-discord-state.ts';

const harness = useDiscordSandbox();
/** Who approved toy-`n`'s Operations gate, as the store has it. */
const approversOf = async (n: number) =>
  (await harness().preflight().engine.store.get(`toy-${n}`))?.gates
    .find((g) => g.id === 'operations')
    ?.approvals.map((a) => a.by);
/** The direct messages `user` got from the bot. */
const dmsTo = (h: DiscordHarness, user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user).length;

/**
 * `user`, no approver, puts a ✅ on the gate and is told by direct message that it does not count: reactions are
 * handled in the order given, so once the inbox is empty after that, every reaction before it was handled.
 */
async function afterRefusalOf(h: DiscordHarness, user: string, gate: FakeDiscordMessage) {
  const before = dmsTo(h, user);
  h.react(user, gate, '✅');
  await h.waitFor(`${user} told`, () => dmsTo(h, user) > before);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
}

async function abort(h: DiscordHarness, n: number) {
  await h.answer(h.command(ALICE, 'deploy', 'abort', { id: `toy-${n}` }));
  await h.waitForState(`toy-${n}`, ['aborted']);
}

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
  await abort(h, 1);
}, 120_000);

it('keeps an approval when one of a person’s two ✅ (normal and super) is taken off, and withdraws it with the other', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.1');
  h.react(BOB, operations, '✅');
  h.react(BOB, operations, '✅', true, true);
  await h.waitFor('Bob’s approval', async () => (await approversOf(2))?.includes('bob'));
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

  h.react(BOB, operations, '✅', false);
  await afterRefusalOf(h, ERIN, operations);
  expect(await approversOf(2)).toEqual(['bob']);

  h.react(BOB, operations, '✅', false, true);
  await h.waitFor('Bob’s approval withdrawn', async () => (await approversOf(2))?.length === 0);
  await abort(h, 2);
}, 120_000);

it('keeps an approval when one of a person’s two ✅ is taken off after a restart', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.2');
  h.react(BOB, operations, '✅');
  h.react(BOB, operations, '✅', true, true);
  await h.waitFor('Bob’s approval', async () => (await approversOf(3))?.includes('bob'));

  // The new process knows Bob's two ✅ only from the read-back (Erin's ✅ while down makes it record something).
  const readBacks = () => h.logs.filter((l) => l.includes('reactions read back after a gap')).length;
  const before = readBacks();
  await h.restart(() => h.react(ERIN, operations, '✅'));
  await h.waitFor('the read-back', () => readBacks() > before);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

  h.react(BOB, operations, '✅', false, true);
  await afterRefusalOf(h, DAVE, operations);
  expect(await approversOf(3)).toEqual(['bob']);
}, 120_000);
