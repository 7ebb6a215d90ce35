/**
 * An incident acknowledged with ✅ (as 👀) while the gateway connection is down and cannot be resumed: nothing is
 * replayed to the new session, so the bot reads the reactions back, and the ✅ counts as the acknowledgement it is
 * when heard live. Paging stops; the next level is not paged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { CAROL, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('an incident acknowledged with ✅ while the gateway is down', () => {
  it('is acknowledged once the bot reads the reactions back', async () => {
    const root = await openToyIncident(h);
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    const before = h.fake.gateway.counts();
    h.fake.gateway.disconnect(4009, 'Session timed out.');
    h.react(CAROL, root, '✅');
    await h.waitFor('a new session', () => h.fake.gateway.counts().identifies > before.identifies);

    const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
      const incident = await h.preflight().engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
    expect(acknowledged.ack?.by).toBe('carol');
    expect(acknowledged.pages.map((p) => p.levelId)).toEqual(['L1']);
    await h.waitFor(
      'the acknowledgement in the thread',
      inThread(h, root.id, `<@${CAROL}> acknowledged INC-1`),
    );
  }, 60_000);
});
