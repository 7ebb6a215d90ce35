/**
 * An incident whose Discord thread was deleted: its next page goes to a new incident message in the incident
 * channel, posted once (a restart midway doubles nothing), with a word that the earlier thread was deleted; the old
 * message points to the new thread, and a ✅ on the new message acknowledges the incident.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { expectAckedByCarolOn, openToyIncident } from '../helpers/discord-incident.ts';
import { inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';
import { GUILD_ID } from '../helpers/fake-discord-state.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

/** A route that matches only while `on`. */
class Switched extends RegExp {
  on = true;
  override test(text: string): boolean {
    return this.on && super.test(text);
  }
}

describe("an incident's deleted Discord thread", () => {
  it('is started anew once, takes the next page, and an ack on the new message counts', async () => {
    const root = await openToyIncident(h);
    const incidents = () =>
      h.fake.world.messages.filter(
        (m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1'),
      );
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));
    h.fake.world.channels.delete(root.id);
    // Discord fails to start the new thread until the bot restarts: nothing is posted twice for that.
    const threadStart = new Switched(`^/channels/${INCIDENT_CHANNEL_ID}/messages/\\d+/threads$`);
    h.fake.failNext(threadStart, 500, 10_000);

    // The L2 page is due in the deleted thread: Discord answers 10003 (Unknown Channel).
    const anew = await h.waitFor('a new incident message', () => incidents()[1], 60_000);
    await h.waitFor('the new thread refused', () =>
      h.fake.world.calls.find((c) => threadStart.test(c.path) && c.status === 500),
    );
    await h.restart(() => {
      threadStart.on = false;
    });
    await h.waitFor('the L2 page in the new thread', inThread(h, anew.id, 'L2'), 60_000);
    const said = (text: string) =>
      h.fake.world.messages.filter((m) => m.channel_id === anew.id && m.content.includes(text));
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(said('earlier thread was deleted')[0]?.content).toContain('/incident status INC-1');
    const order = h.fake.world.messages.filter((m) => m.channel_id === anew.id).map((m) => m.id);
    expect(order.indexOf(said('earlier thread was deleted')[0]?.id ?? '')).toBe(0);
    expect(anew.content).toContain('Paged: L1');
    // The old incident message says it is no longer updated, and where the incident goes on.
    expect(root.content).toContain('its thread was deleted');
    expect(root.content).toContain(`/channels/${GUILD_ID}/${anew.id}`);

    // A ✅ on the new incident message acknowledges it; the acknowledgement is said in the new thread.
    await expectAckedByCarolOn(h, anew);
    expect(incidents()).toHaveLength(2);
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(said('L2')).toHaveLength(1);
  }, 150_000);
});
