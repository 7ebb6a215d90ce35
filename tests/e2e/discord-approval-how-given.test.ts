/**
 * A ✅ taken off takes back only what that ✅ gave (core/deployment/reaction-gave.ts), on Discord as on Slack
 * (slack-approval-how-given.test.ts): an approval given by the Approve button stands when its approver adds a ✅ to
 * the gate's message and takes it off again, and they are told so by direct message; one given by a ✅ is withdrawn
 * by taking that ✅ off, whatever button was pressed after it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { BOB, CAROL, dmsTo, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const operations = async () =>
  (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'operations');
const handled = () =>
  h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);

describe('a ✅ taken off on Discord takes back only what that ✅ gave', () => {
  it('an approval by the Approve button stands; one by a ✅ is withdrawn with it', async () => {
    const gates = await openToyGates(h, 'v1.3.0');
    const approve = 'gate.approve|toy-1:operations';

    // Carol: ✅, then Approve ("already counted"), then the ✅ taken off: the ✅ gave it, so it is withdrawn.
    h.react(CAROL, gates.operations, '✅');
    await h.waitFor('Carol’s approval', async () => (await operations())?.approvals.length === 1);
    expect((await h.answer(h.click(CAROL, gates.operations, approve))).content).toMatch(/already counted/);
    h.react(CAROL, gates.operations, '✅', false);
    await h.waitFor('Carol’s withdrawal', async () => (await operations())?.approvals.length === 0);

    // Bob: Approve, then ✅ ("already counted"), then the ✅ taken off: the button gave it, so it stands.
    await h.answer(h.click(BOB, gates.operations, approve));
    const before = dmsTo(h, BOB).length;
    h.react(BOB, gates.operations, '✅');
    await handled();
    h.react(BOB, gates.operations, '✅', false);
    const told = await h.waitFor('the answer to Bob', () => dmsTo(h, BOB)[before]);
    expect(told.content).toBe(
      "⚠️ your approval of the Operations sign-off gate was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: it stands. To hold toy-1's next steps: `/deploy pause toy-1`; to stop it: `/deploy abort toy-1`.",
    );
    await handled();
    expect((await operations())?.approvals.map((a) => a.by)).toEqual(['bob']);
    const audit = await h.preflight().engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type === 'gate.withdrawn').map((r) => r.actor)).toEqual(['carol']);
  }, 120_000);
});
