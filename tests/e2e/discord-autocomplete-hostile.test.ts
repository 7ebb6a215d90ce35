/**
 * Autocomplete with what no Discord client sends (the service option as a number): answered as if no service were
 * typed, and no error logged (it threw in discord.js's getString, so nothing was suggested and an error logged).
 */
import { expect, it } from 'vitest';
import { autocompleteInteraction, newInteractionIds } from '../helpers/discord-events.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();

it('answers an autocomplete whose service option is a number as if none were typed', async () => {
  const h = harness();
  const ids = newInteractionIds();
  const channel = h.fake.world.channels.get(DEPLOY_CHANNEL_ID);
  if (!channel) throw new Error('no deploy channel');
  const payload = autocompleteInteraction(
    ids,
    ALICE,
    channel,
    { service: 'x', environment: '' },
    'environment',
  );
  const start = (payload.data as { options: { options: { name: string; type: number; value: unknown }[] }[] })
    .options[0];
  const service = start?.options.find((o) => o.name === 'service');
  if (service) Object.assign(service, { type: 4, value: 7 });
  h.fake.gateway.dispatch('INTERACTION_CREATE', payload);
  const found = await h.waitFor('the suggestions', () =>
    h.fake.world.answers.find((a) => a.token === ids.token && a.kind === 'callback'),
  );
  expect(found.body).toMatchObject({
    type: 8,
    data: { choices: [{ name: 'production' }, { name: 'staging' }] },
  });
  expect(h.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
}, 60_000);
