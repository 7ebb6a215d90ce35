/**
 * A look-alike of ✅ or ❌ (✔️, 👍, 👎 …) on a gate's message approves or rejects nothing. An approver whose answer
 * the gate still waits for is told so by direct message, once per message and emoji, with the emoji that counts;
 * anyone else's is only a reaction, and so is the approver's once their ✅ counted.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import {
  ALICE,
  CAROL,
  DAVE,
  dmsTo as dmsToOf,
  ERIN,
  inboxSettled,
  openToyGates,
  useDiscordSandbox,
} from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const dmsTo = (user: string) => dmsToOf(h, user);
const settled = () => inboxSettled(h);
const statuses = async () => (await h.preflight().engine.store.get('toy-1'))?.gates.map((g) => g.status);

it('tells an awaited approver once per emoji that a look-alike counted for nothing, and nobody else', async () => {
  const { security, operations } = await openToyGates(h, 'v1.0.0');

  h.react(CAROL, operations, '✔️');
  const told = await h.waitFor('the answer to Carol', () => dmsTo(CAROL)[0]);
  expect(told.content).toBe(
    "⚠️ a ✔️ approves nothing, so no approval of the **Operations sign-off** gate was counted: react ✅ on the gate's message, or press its Approve button",
  );
  // Taken off and put on again: not told twice. Another look-alike is told once more (and shows the first was handled).
  h.react(CAROL, operations, '✔️', false);
  h.react(CAROL, operations, '✔️');
  h.react(CAROL, operations, '👍');
  await h.waitFor('the answer to Carol’s 👍', () => dmsTo(CAROL)[1]);
  await settled();
  expect(dmsTo(CAROL).map((m) => m.content)).toEqual([
    told.content,
    "⚠️ a 👍 approves nothing, so no approval of the **Operations sign-off** gate was counted: react ✅ on the gate's message, or press its Approve button",
  ]);

  h.react(DAVE, security, '👎');
  const rejectTold = await h.waitFor('the answer to Dave', () => dmsTo(DAVE)[0]);
  expect(rejectTold.content).toBe(
    "⚠️ a 👎 rejects nothing, so no rejection of the **Security sign-off** gate was counted: react ❌ on the gate's message, or press its Reject button",
  );

  // The requester (whose approval does not count) and people who approve no gate they react on: only reactions. Each
  // then reacts ✅ where it is refused, and hears that refusal alone.
  h.react(ALICE, operations, '👍');
  h.react(ERIN, operations, '✔️');
  h.react(CAROL, security, '👍');
  h.react(ALICE, operations, '✅');
  h.react(ERIN, security, '✅');
  await h.waitFor('the refusals', () => dmsTo(ALICE)[0] && dmsTo(ERIN)[0]);
  await settled();
  expect(dmsTo(ALICE).map((m) => m.content)).toEqual([
    expect.stringMatching(/^⚠️ you requested this deployment, so your approval does not count/),
  ]);
  expect(dmsTo(ERIN).map((m) => m.content)).toEqual([
    expect.stringMatching(/^⚠️ only Dave Diaz \(Security\) can approve the Security sign-off gate/),
  ]);
  expect(dmsTo(CAROL)).toHaveLength(2);
  expect(await statuses()).toEqual(['pending', 'pending']);

  // Once Carol's ✅ counts, her 👌 is applause.
  h.react(CAROL, operations, '✅');
  await h.waitFor('Carol’s approval', async () =>
    (await h.preflight().engine.store.get('toy-1'))?.gates.some((g) => g.approvals.length > 0),
  );
  h.react(CAROL, operations, '👌');
  h.react(CAROL, security, '✅');
  await h.waitFor('the refusal on the security gate', () => dmsTo(CAROL)[2]);
  await settled();
  expect(
    dmsTo(CAROL)
      .slice(2)
      .map((m) => m.content),
  ).toEqual([expect.stringMatching(/^⚠️ only Dave Diaz \(Security\) can approve/)]);
}, 60_000);
