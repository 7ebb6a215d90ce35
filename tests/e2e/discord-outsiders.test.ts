/**
 * Through Discord's gateway: someone the runbook does not know, and the requester on their own gate, are answered
 * privately with why nothing counted (a press ephemerally, a reaction by direct message), and the gate still waits.
 */
import { expect, it } from 'vitest';
import { ALICE, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
const STRANGER = '299999999999999999';
const UNKNOWN = `your discord user id (${STRANGER}) is not among the people of the toy runbook`;

it('answers outsiders and the requester on their own gate, counting nothing', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const dms = (user: string, text: string) =>
    h.fake.world.messages.filter(
      (m) => h.fake.world.channels.get(m.channel_id)?.recipient === user && m.content.includes(text),
    );

  const pressed = await h.answer(h.click(STRANGER, operations, 'gate.approve|toy-1:operations'));
  expect(pressed.ephemeral).toBe(true);
  expect(pressed.content).toContain(UNKNOWN);
  const started = await h.answer(
    h.command(STRANGER, 'deploy', 'start', { service: 'toy', version: 'v1.4.0' }),
  );
  expect(started.content).toContain(UNKNOWN);

  h.react(STRANGER, operations, '✅');
  await h.waitFor('the stranger told', () => dms(STRANGER, UNKNOWN)[0]);
  h.react(ALICE, operations, '✅');
  const told = await h.waitFor('the requester told', () => dms(ALICE, 'you requested this deployment')[0]);
  expect(told.content).toContain('your approval does not count for the Operations sign-off gate');

  const deployment = await h.preflight().engine.store.get('toy-1');
  expect(deployment?.gates.map((g) => g.approvals)).toEqual([[], []]);
  expect((await h.preflight().engine.store.list({ limit: 10 })).map((d) => d.id)).toEqual(['toy-1']);
}, 90_000);
