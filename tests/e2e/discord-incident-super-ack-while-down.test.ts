/**
 * A super reaction (Discord's burst reaction) 👀 acknowledges as a 👀 does, read back at start too. The bot is down
 * when the on-call acknowledges an incident with a super 👀, and stays down past the time the next level
 * was due. When it is back, the overdue page finds the acknowledgement first (read back from Discord before any
 * page goes out): the incident is acknowledged by the on-call, and the next level is not paged for an incident
 * already answered, neither in the thread nor by direct message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { downFor, openToyIncident } from '../helpers/discord-incident.ts';
import { L1_FAST_RUNBOOK } from '../helpers/discord-incident-runbook.ts';
import { ALICE, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox({ runbook: () => L1_FAST_RUNBOOK });
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('an acknowledgement by super 👀 made while the bot was down, with the next page overdue', () => {
  it('stops paging: the next level is not paged', async () => {
    const root = await openToyIncident(h);
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    // Alice answers while the bot is down; L2 comes due (2 s after the incident opened) before it is back.
    await h.restart(() => {
      h.react(ALICE, root, '👀', true, true);
      downFor(3_000);
    });

    const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
      const incident = await h.preflight().engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
    expect(acknowledged.ack?.by).toBe('alice');
    await h.waitFor(
      'the acknowledgement in the thread',
      inThread(h, root.id, `<@${ALICE}> acknowledged INC-1`),
    );
    expect(acknowledged.pages.map((p) => p.levelId)).toEqual(['L1']);
    // Neither the page in the thread nor the direct message to Carol went out.
    const pagesOfL2 = h.fake.world.messages.filter(
      (m) => m.content.startsWith('🔔 **L2') || m.content.includes('You are paged (L2)'),
    );
    expect(pagesOfL2).toEqual([]);
  }, 60_000);
});
