/**
 * An interaction's token answers it as the bot for 15 minutes: it never reaches the log, even when Discord refuses
 * the answer and discord.js's error (logged whole) carries the URL the token is part of.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { autocompleteInteraction, newInteractionIds } from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('an interaction Discord refuses the answer to', () => {
  it('is logged with its failure and without its token', async () => {
    const ids = newInteractionIds();
    const token = `${ids.token}OkpXVDJ6c2VjcmV0LWludGVyYWN0aW9uLXRva2Vu`;
    h.fake.failNext(new RegExp(`^/interactions/${ids.id}/`), 404, 1);
    const channel = h.fake.world.channels.get(DEPLOY_CHANNEL_ID);
    if (!channel) throw new Error('no deploy channel');

    h.fake.gateway.dispatch(
      'INTERACTION_CREATE',
      autocompleteInteraction({ ...ids, token }, ALICE, channel, { service: 't' }, 'service'),
    );

    const failed = await h.waitFor('the failure in the log', () =>
      h.logs.find((line) => line.includes('Discord interaction failed')),
    );
    expect(failed).toContain('"status":404');
    expect(failed).toContain(`/interactions/${ids.id}/[REDACTED]/callback`);
    expect(h.logs.join('')).not.toContain(token);
  }, 60_000);
});
