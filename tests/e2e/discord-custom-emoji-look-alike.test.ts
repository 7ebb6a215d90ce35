/**
 * A server's own (custom) emoji named as an answer or a look-alike of one (a server's `:white_check_mark:`, its
 * `:heavy_check_mark:`) approves nothing on Discord: only the Unicode ✅ does, the one the read-back after a gateway
 * gap lists. An approver whose answer the gate still waits for is told so by direct message, as for ✔️, instead of
 * believing they signed off; anyone else's, and any other server emoji, is only a reaction.
 */
import { beforeAll, expect, it } from 'vitest';
import { reactionData } from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import {
  CAROL,
  dmsTo as dmsToOf,
  ERIN,
  inboxSettled,
  openToyGates,
  useDiscordSandbox,
} from '../helpers/discord-suite.ts';
import { type FakeDiscordMessage, nextSnowflake } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const dmsTo = (user: string) => dmsToOf(h, user);
const settled = () => inboxSettled(h);
const approversOf = async (gate: string) =>
  (await h.preflight().engine.store.get('toy-1'))?.gates
    .find((g) => g.id === gate)
    ?.approvals.map((a) => a.by);

/** A reaction with one of the server's own emoji: Discord names it and gives it an id. */
const reactCustom = (user: string, message: FakeDiscordMessage, name: string) =>
  h.fake.gateway.dispatch('MESSAGE_REACTION_ADD', {
    ...reactionData(user, message, name, true),
    emoji: { id: nextSnowflake(), name, animated: false },
  });

it('tells an awaited approver that a server emoji named like ✅ approved nothing, and nobody else', async () => {
  const { operations } = await openToyGates(h, 'v1.0.0');

  reactCustom(CAROL, operations, 'white_check_mark');
  const told = await h.waitFor('the answer to Carol', () => dmsTo(CAROL)[0]);
  expect(told.content).toBe(
    "⚠️ a server emoji :white_check_mark: approves nothing, so no approval of the **Operations sign-off** gate was counted: react ✅ on the gate's message, or press its Approve button",
  );
  reactCustom(CAROL, operations, 'Heavy_Check_Mark');
  await h.waitFor('the answer to Carol’s second emoji', () => dmsTo(CAROL)[1]);
  expect(dmsTo(CAROL)[1]?.content).toMatch(/^⚠️ a server emoji :heavy_check_mark: approves nothing/);

  // Not an approver of the gate, and a server emoji named like nothing Preflight reads: only reactions.
  reactCustom(ERIN, operations, 'white_check_mark');
  reactCustom(CAROL, operations, 'partyparrot');
  await settled();
  expect(dmsTo(ERIN)).toEqual([]);
  expect(dmsTo(CAROL)).toHaveLength(2);
  expect(await approversOf('operations')).toEqual([]);
}, 90_000);
