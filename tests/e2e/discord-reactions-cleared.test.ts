/**
 * A moderator who clears the ✅ on a gate's message (Discord's "remove all reactions" for one emoji, or for all):
 * Discord says only that they were cleared, not whose they were. The approvals those ✅ gave are withdrawn, as a
 * read-back after a restart would find them gone, and an approval given by button stays; nobody's approval stays
 * counted with its ✅ gone.
 */
import { expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { BOB, CAROL, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { type FakeDiscordMessage, GUILD_ID } from '../helpers/fake-discord-state.ts';

const harness = useDiscordSandbox();
const approversOf = async (n: number) =>
  (await harness().preflight().engine.store.get(`toy-${n}`))?.gates
    .find((g) => g.id === 'operations')
    ?.approvals.map((a) => a.by);

/** A moderator clears one emoji (`emoji`) or every reaction on the message, as Discord tells the bot. */
function clear(h: DiscordHarness, message: FakeDiscordMessage, emoji?: string) {
  for (const kept of [h.fake.world.reactions, h.fake.world.superReactions])
    if (emoji === undefined) kept.delete(message.id);
    else kept.get(message.id)?.delete(emoji);
  const where = { channel_id: message.channel_id, message_id: message.id, guild_id: GUILD_ID };
  if (emoji === undefined) h.fake.gateway.dispatch('MESSAGE_REACTION_REMOVE_ALL', where);
  else
    h.fake.gateway.dispatch('MESSAGE_REACTION_REMOVE_EMOJI', { ...where, emoji: { id: null, name: emoji } });
}

it('withdraws the approvals whose ✅ a moderator cleared from the gate’s message', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.4.0');
  h.react(BOB, operations, '✅');
  await h.waitFor('Bob’s approval', async () => (await approversOf(1))?.includes('bob'));
  clear(h, operations, '✅');
  await h.waitFor('Bob’s approval withdrawn', async () => (await approversOf(1))?.length === 0, 30_000);

  h.react(BOB, operations, '✅', true, true);
  await h.waitFor('Bob’s approval again', async () => (await approversOf(1))?.includes('bob'));
  clear(h, operations);
  await h.waitFor('withdrawn again', async () => (await approversOf(1))?.length === 0, 30_000);

  // Cleared, Bob's super ✅ is not remembered either: his new ✅ taken off withdraws what it gave.
  h.react(BOB, operations, '✅');
  await h.waitFor('Bob’s third approval', async () => (await approversOf(1))?.includes('bob'));
  h.react(BOB, operations, '✅', false);
  await h.waitFor('withdrawn by his removal', async () => (await approversOf(1))?.length === 0);
  h.react(CAROL, operations, '✅');
  await h.waitFor('Carol’s approval', async () => (await approversOf(1))?.includes('carol'));
  expect(await approversOf(1)).toEqual(['carol']);
}, 120_000);
