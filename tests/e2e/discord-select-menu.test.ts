/**
 * An interaction of a kind Preflight never posts or registers (a select menu chosen on one of its messages) is
 * answered privately with what to do, not left for Discord to show "This interaction failed"; nothing changes.
 */
import { expect, it } from 'vitest';
import { buttonInteraction, newInteractionIds } from '../helpers/discord-events.ts';
import { BOB, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();

it('answers a select menu choice privately and changes nothing', async () => {
  const h = harness();
  const { operations } = await openToyGates(h, 'v1.3.0');
  const ids = newInteractionIds();
  const channel = h.fake.world.channels.get(operations.channel_id);
  if (!channel) throw new Error('no thread');
  const payload = buttonInteraction(ids, BOB, channel, operations, 'gate.approve|toy-1:operations');
  Object.assign(payload.data, { component_type: 3, values: ['approve'] });
  h.fake.gateway.dispatch('INTERACTION_CREATE', payload);
  const answer = await h.waitFor('the answer', () =>
    h.fake.world.answers.find((a) => a.token === ids.token && a.kind === 'callback'),
  );
  expect(answer.body).toMatchObject({
    type: 4,
    data: {
      flags: 64,
      content:
        '⚠️ this is not something Preflight put here or registered (it may be from an older version of Preflight); nothing was done. `/deploy help` lists what it knows.',
    },
  });
  const d = await h.preflight().engine.store.get('toy-1');
  expect(d?.gates.map((g) => g.approvals)).toEqual([[], []]);
}, 90_000);
