/**
 * Taking a ✅ off is not a request, so on Discord it never draws a refusal: not from someone the runbook does not
 * know (told once, when they added it), not on a deployment that is over, not from another app's bot whose removal
 * reaches Preflight as a partial after a restart (discord.js cannot tell it is a bot). Nothing is said, by direct
 * message or in the thread, and nothing is audited as refused; a ✅ taken off that still counts is withdrawn.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, DAVE, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import type { FakeDiscordMessage } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
let gates: { security: FakeDiscordMessage; operations: FakeDiscordMessage } | undefined;
beforeAll(() => {
  h = harness();
});

/** Someone in the server whom the sandbox runbook does not name. */
const STRANGER = '200000000000000042';
/** Another app's bot in the server. */
const OTHER_BOT = '290000000000000007';

const dmsTo = (user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user);
const mentioning = (user: string) => h.fake.world.messages.filter((m) => m.content.includes(`<@${user}>`));
const refusals = async () =>
  (await h.preflight().engine.store.audit('toy-1'))
    .filter((r) => r.type === 'access.refused')
    .map((r) => `${r.actor} ${String(r.detail.action)}`);
const approvers = async (gate: string) =>
  (await h.preflight().engine.store.get('toy-1'))?.gates
    .find((g) => g.id === gate)
    ?.approvals.map((a) => a.by);
/** Every reaction recorded so far has been handled (those before `seen` was, as the gateway handed them over). */
const settled = async (what: string, seen: () => Promise<unknown> | unknown) => {
  await h.waitFor(what, seen);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
};

describe('a ✅ taken off on Discord', () => {
  it('by someone the runbook does not know: refused once, when it was added, and not again', async () => {
    gates = await openToyGates(h, 'v1.3.0');
    const { security, operations } = gates;

    h.react(STRANGER, security, '✅');
    const told = await h.waitFor('the refusal in the stranger’s direct messages', () => dmsTo(STRANGER)[0]);
    expect(told.content).toMatch(
      /^⚠️ your discord user id \(\d+\) is not among the people of the toy runbook/,
    );

    h.react(STRANGER, security, '✅', false);
    h.react(BOB, operations, '✅');
    await settled('Bob’s approval counted', async () => (await approvers('operations'))?.includes('bob'));

    expect(dmsTo(STRANGER)).toHaveLength(1);
    expect(mentioning(STRANGER)).toEqual([]);
    expect(await refusals()).toEqual([`discord:${STRANGER} gate.approve`]);
  }, 90_000);

  it('by another app’s bot after a restart (a partial: no bot flag): nothing said in the thread', async () => {
    if (!gates) throw new Error('the first test opens the gates');
    const { security } = gates;
    h.fake.world.bots.add(OTHER_BOT);
    // The bot's ✅ was made while Preflight was down: the new process has never seen the bot nor the message.
    await h.restart(() => h.fake.world.react(security.id, '✅', OTHER_BOT, true));

    h.react(OTHER_BOT, security, '✅', false);
    h.react(DAVE, security, '✅');
    await settled('Dave’s approval counted', async () => (await approvers('security'))?.includes('dave'));

    expect(mentioning(OTHER_BOT)).toEqual([]);
    expect(dmsTo(OTHER_BOT)).toEqual([]);
    expect(await refusals()).toEqual([`discord:${STRANGER} gate.approve`]);
  }, 90_000);

  it('on a deployment that is over: no word, by direct message or in the thread to one who takes none', async () => {
    if (!gates) throw new Error('the first test opens the gates');
    const { security, operations } = gates;
    await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1' }));
    await h.waitForState('toy-1', ['aborted']);
    h.fake.world.closedDms.add(BOB);
    const before = h.fake.world.messages.length;

    h.react(BOB, operations, '✅', false);
    h.react(DAVE, security, '✅', false);
    // A ✅ added now is a request, and is answered.
    h.react(ERIN, operations, '✅');
    await settled('Erin’s refusal', () => dmsTo(ERIN)[0]);

    const after = h.fake.world.messages.slice(before);
    expect(after.filter((m) => m.content.includes(`<@${BOB}>`) || m.content.includes(`<@${DAVE}>`))).toEqual(
      [],
    );
    expect([...dmsTo(BOB), ...dmsTo(DAVE)]).toEqual([]);
    expect(dmsTo(ERIN).map((m) => m.content)).toEqual([
      '⚠️ only Bob Brown (DevOps on-call), Carol Chen (Team lead) can approve the Operations sign-off gate (gates.operations.approvers, not Alice Adams (DevOps on-call): they requested this deployment); your approval was not counted',
    ]);
    expect(await approvers('operations')).toEqual(['bob']);
    expect(await approvers('security')).toEqual(['dave']);
    expect(await refusals()).toEqual([`discord:${STRANGER} gate.approve`, 'erin gate.approve']);
  }, 90_000);
});
