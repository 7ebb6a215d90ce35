/**
 * A refused reaction on Discord is answered by direct message (there is no private reply to a reaction there):
 * a 429 from Discord on that message is waited out, so the person still hears why their ✅ did not count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { nextSnowflake } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('a refusal sent by direct message', () => {
  it('reaches the person after Discord answers it 429 with retry_after', async () => {
    const { security } = await openToyGates(h, 'v1.3.0');
    // Erin's direct-message channel, so that only the message to her is rate-limited.
    const dm = nextSnowflake();
    h.fake.world.channels.set(dm, { id: dm, name: '', type: 1, recipient: ERIN });
    const route = new RegExp(`^/channels/${dm}/messages$`);
    h.fake.rateLimitOnce(route, 1);

    h.react(ERIN, security, '✅');

    const refusal = await h.waitFor('the refusal in Erin’s direct messages', () =>
      h.fake.world.messages.find((m) => m.channel_id === dm),
    );
    expect(refusal.content).toBe(
      '⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted',
    );
    expect(h.fake.world.calls.filter((c) => route.test(c.path)).map((c) => c.status)).toEqual([429, 200]);
    expect(h.fake.world.messages.filter((m) => m.channel_id === dm)).toHaveLength(1);
  }, 60_000);
});
