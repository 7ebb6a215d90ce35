/**
 * Through Discord's gateway, as on Slack: the requester's own Approve press counts for nothing, and so does the
 * asker's approval of their own rollback, by the Approve rollback button, a ✅ on its message or `/rollback` again;
 * each is told why. An interaction Discord delivers twice (a resumed session replays it) takes effect once and is
 * answered once, and posts nothing twice.
 */
import { beforeAll, expect, it } from 'vitest';
import { newInteractionIds } from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const SELF_ROLLBACK = 'you asked for the rollback of toy-1, so your approval does not count';
const directTo = (user: string, text: string) =>
  h.fake.world.messages.filter(
    (m) => h.fake.world.channels.get(m.channel_id)?.recipient === user && m.content.includes(text),
  );

it('counts no approval of their own, and an interaction delivered twice once', async () => {
  const { root, security, operations } = await openToyGates(h, 'v1.3.0');
  const own = await h.answer(h.click(ALICE, operations, 'gate.approve|toy-1:operations'));
  expect(own).toMatchObject({ ephemeral: true });
  expect(own.content).toContain('you requested this deployment, so your approval does not count');

  // Bob's press, delivered twice with the same interaction id.
  const ids = newInteractionIds();
  const press = h.click(BOB, operations, 'gate.approve|toy-1:operations', ids);
  h.click(BOB, operations, 'gate.approve|toy-1:operations', ids);
  expect((await h.answer(press)).content).toBe('approval counted for the Operations sign-off gate: 1 of 2');
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  const gates = (await h.preflight().engine.store.get('toy-1'))?.gates;
  expect(gates?.find((g) => g.id === 'operations')?.approvals.map((a) => a.by)).toEqual(['bob']);
  expect(h.shown(press)).toHaveLength(1);

  h.react(DAVE, security, '✅');
  h.react(CAROL, operations, '✅');
  await h.waitForState('toy-1', ['monitoring'], 60_000);
  const asked = await h.answer(h.command(ALICE, 'rollback', undefined, { id: 'toy-1' }));
  expect(asked.content).toContain('toy-1: rollback asked; it needs 1 more approval');
  const prompt = await h.waitFor('the rollback prompt', () =>
    h.fake.world.messages.find((m) => m.channel_id === root.id && m.content.startsWith('↩️ **Rollback**')),
  );

  const button = await h.answer(h.click(ALICE, prompt, 'rollback.approve|toy-1'));
  expect(button).toMatchObject({ ephemeral: true });
  expect(button.content).toContain(SELF_ROLLBACK);
  expect((await h.answer(h.command(ALICE, 'rollback', undefined, { id: 'toy-1' }))).content).toContain(
    SELF_ROLLBACK,
  );
  h.react(ALICE, prompt, '✅');
  await h.waitFor('the asker told by direct message', () => directTo(ALICE, SELF_ROLLBACK)[0]);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  const waiting = await h.preflight().engine.store.get('toy-1');
  expect(waiting?.rollback).toMatchObject({ by: 'alice', started: false, approvals: [] });

  // Carol's /rollback, delivered twice: her approval starts the rollback once, said once.
  const twice = newInteractionIds();
  const approve = h.command(CAROL, 'rollback', undefined, { id: 'toy-1' }, { ids: twice });
  h.command(CAROL, 'rollback', undefined, { id: 'toy-1' }, { ids: twice });
  expect((await h.answer(approve)).content).toContain('toy-1: rolling back toy');
  await h.waitForState('toy-1', ['rolled_back'], 60_000);
  const done = await h.preflight().engine.store.get('toy-1');
  expect(done?.rollback?.approvals.map((a) => a.by)).toEqual(['carol']);
  expect(h.shown(approve)).toHaveLength(1);
  const isReport = (m: { channel_id: string; content: string }) =>
    m.channel_id === root.id && m.content.startsWith('↩️ **Report**');
  await h.waitFor('the rolled back report', () => h.fake.world.messages.find(isReport));
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  expect(h.fake.world.messages.filter(isReport)).toHaveLength(1);
  const audit = await h.preflight().engine.store.audit('toy-1');
  expect(audit.filter((r) => r.type === 'rollback.started')).toHaveLength(1);
}, 150_000);
