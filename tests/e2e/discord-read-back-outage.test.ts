/**
 * Discord's gateway drops with its API having a bad moment: the new session cannot read the gate's reactions back
 * at once, nor ten seconds later. An approval given while the bot could not hear it still counts, once, when Discord
 * answers again, instead of the gate waiting on with the approver's ✅ on its message.
 */
import { expect, it } from 'vitest';
import { SECOND_PASS_MS } from '../../src/bot/catch-up-reactions.ts';
import { BOB, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { now } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();

it('counts an approval made while the gateway was down once Discord lets its message be read again', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.0.0');
  const route = new RegExp(`^/channels/${operations.channel_id}/messages/${operations.id}$`);
  const gate = async () =>
    (await h.preflight().engine.store.get('toy-1'))?.gates.find((g) => g.id === 'operations');

  // The session cannot be resumed; Bob approves before the bot is back, and Discord fails every read of the gate.
  const before = h.fake.gateway.counts();
  h.fake.gateway.disconnect(4009, 'Session timed out.');
  h.react(BOB, operations, '✅');
  h.fake.failNext(route, 503, 1_000_000);
  await h.waitFor('a new session', () => h.fake.gateway.counts().identifies > before.identifies);
  const identified = now();
  // The read-back's second pass, SECOND_PASS_MS after the new session, fails too; then Discord is back.
  await h.waitFor(
    'the second pass to fail',
    () =>
      h.fake.world.calls.some(
        (c) => route.test(c.path) && c.status === 503 && c.at - identified >= SECOND_PASS_MS,
      ),
    30_000,
  );
  h.fake.recover(route);

  const counted = await h.waitFor(
    'Bob’s approval read back',
    async () => {
      const g = await gate();
      return g?.approvals.length ? g : undefined;
    },
    60_000,
  );
  expect(counted.approvals.map((a) => a.by)).toEqual(['bob']);
  const audit = await h.preflight().engine.store.audit('toy-1');
  expect(audit.filter((r) => r.type === 'gate.approval' && r.actor === 'bob')).toHaveLength(1);
}, 120_000);
