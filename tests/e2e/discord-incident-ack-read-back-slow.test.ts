/**
 * The bot is down when the on-call acknowledges an incident with 👀, and stays down past the time the next level
 * was due. When it is back, Discord is slow to list reactions: the read-back of what was reacted meanwhile takes
 * longer than a page's own look at its message would wait. The overdue page waits for that read-back all the same,
 * so the acknowledgement it finds counts, and the next level is not paged for an incident already answered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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

describe('an acknowledgement made while the bot was down, read back slowly, with the next page overdue', () => {
  it('stops paging: the next level is not paged', async () => {
    const root = await openToyIncident(h);
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    let answer = () => {};
    // Alice answers while the bot is down; L2 comes due before it is back, and Discord lists reactions slowly.
    await h.restart(() => {
      h.react(ALICE, root, '👀');
      h.fake.world.reactionReadsHeld = new Promise<void>((resolve) => {
        answer = resolve;
      });
      downFor(3_000);
    });
    // Longer than a page waits for its own look at the incident's message.
    await sleep(8_000);
    h.fake.world.reactionReadsHeld = undefined;
    answer();

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
    const pagesOfL2 = h.fake.world.messages.filter(
      (m) => m.content.startsWith('🔔 **L2') || m.content.includes('You are paged (L2)'),
    );
    expect(pagesOfL2).toEqual([]);
  }, 90_000);
});
