/**
 * A Discord form (modal) submit names its prompt by the message whose button opened it. One that comes without that
 * message (forged: Discord sends it for every form a message's button opened) cannot show which prompt it answers,
 * so it acts on nothing: the person is told privately, and the gate waits as before.
 */
import { beforeAll, expect, it } from 'vitest';
import { modalSubmitInteraction, newInteractionIds } from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { CAROL, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

it('refuses a form submit without its message, whatever it names, and changes nothing', async () => {
  const { operations } = await openToyGates(h, 'v2.0.0');
  const channel = h.fake.world.channels.get(operations.channel_id);
  if (!channel) throw new Error('no thread');
  for (const [customId, reason] of [
    ['gate.approve|toy-1:operations', 'ok'],
    ['gate.reject|toy-1:operations', 'forged'],
  ] as const) {
    const ids = newInteractionIds();
    const { message: _dropped, ...forged } = modalSubmitInteraction(
      ids,
      CAROL,
      channel,
      operations,
      customId,
      {
        reason,
      },
    );
    h.fake.gateway.dispatch('INTERACTION_CREATE', forged);
    const answer = await h.answer({ ...ids, at: Date.now() });
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe(
      '⚠️ this button or form came without the message it belongs to, so Preflight cannot tell which prompt it answers; nothing was done. See `/deploy status toy-1`, and use the buttons on its current message or the command.',
    );
  }
  expect((await h.preflight().engine.store.get('toy-1'))?.gates.map((g) => g.status)).toEqual([
    'pending',
    'pending',
  ]);
});
