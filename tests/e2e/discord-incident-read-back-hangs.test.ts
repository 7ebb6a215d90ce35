/**
 * The bot is down past the time the next level of an incident was due, and when it is back Discord does not answer
 * the read-back of reactions at all. The overdue page waits for that read-back only so long: the next level is
 * paged all the same (the bot never goes silent because a platform cannot be read), and the log says what the page
 * waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { downFor, openToyIncident } from '../helpers/discord-incident.ts';
import { L1_FAST_RUNBOOK } from '../helpers/discord-incident-runbook.ts';
import { CAROL, ERIN, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox({ runbook: () => L1_FAST_RUNBOOK });
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

let answer = () => {};
afterAll(() => {
  h.fake.world.reactionReadsHeld = undefined;
  answer();
});

describe('an overdue page at start while Discord does not answer the read-back of reactions', () => {
  it('pages the next level all the same', async () => {
    const root = await openToyIncident(h);
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    // Someone reacted while the bot was down (Erin, who may not acknowledge), so there are reactions to list.
    await h.restart(() => {
      h.react(ERIN, root, '👀');
      h.fake.world.reactionReadsHeld = new Promise<void>((resolve) => {
        answer = resolve;
      });
      downFor(3_000);
    });

    await h.waitFor('the L2 page in the thread', inThread(h, root.id, '🔔 **L2'), 80_000);
    await h.waitFor('the L2 page to Carol', () =>
      h.fake.world.messages.find(
        (m) =>
          m.content.includes('You are paged (L2)') &&
          h.fake.world.channels.get(m.channel_id)?.recipient === CAROL,
      ),
    );
    const incident = await h.preflight().engine.incidents.get('INC-1');
    expect(incident?.state).toBe('open');
    expect(incident?.pages.map((p) => p.levelId)).toEqual(['L1', 'L2']);
    expect(h.logs.join('')).toContain('first read-back not ended in time');
    expect(h.logs.join('')).toContain('"platforms":["discord"]');
  }, 120_000);
});
