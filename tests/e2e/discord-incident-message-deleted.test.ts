/**
 * On Discord someone deletes an incident's message but not its thread (Discord keeps a thread whose first message
 * is deleted). The next edit of the message (the L2 escalation) finds it gone (Unknown Message), so the incident
 * message is posted again in the incident channel with a new thread, saying once that the earlier thread was
 * deleted; the L2 page goes there, and a ✅ on the new message acknowledges the incident, said in the new thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { expectAckedByCarolOn, openToyIncident } from '../helpers/discord-incident.ts';
import { inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe("an incident's deleted Discord message, its thread left", () => {
  it('is posted again once with a new thread, and an ack on the new message counts', async () => {
    const root = await openToyIncident(h);
    const incidents = () =>
      h.fake.world.messages.filter(
        (m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1'),
      );
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));
    h.fake.world.messages.splice(h.fake.world.messages.indexOf(root), 1);
    expect(h.fake.world.channels.has(root.id)).toBe(true);

    const anew = await h.waitFor('a new incident message', () => incidents()[0], 60_000);
    await h.waitFor('the word in the new thread', inThread(h, anew.id, 'earlier thread was deleted'), 30_000);
    const said = (text: string) =>
      h.fake.world.messages.filter((m) => m.channel_id === anew.id && m.content.includes(text));
    expect(said('earlier thread was deleted')[0]?.content).toContain('/incident status INC-1');
    await h.waitFor('the new message names L2 paged', () => (anew.content.includes('L2') ? anew : undefined));

    // The L2 page goes to the new thread, where the new message's reactions and buttons count.
    await h.waitFor('the L2 page in the new thread', inThread(h, anew.id, '**L2'), 60_000);
    await expectAckedByCarolOn(h, anew);
    expect(incidents()).toHaveLength(1);
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(said('**L2')).toHaveLength(1);
    expect(
      h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes('**L2')),
    ).toEqual([]);
  }, 150_000);
});
