/**
 * A page by direct message that Discord will not take (the person takes no direct messages from server members:
 * 403, code 50007) is said in the incident thread, naming the person, once; the others' direct messages go out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { ALICE, BOB, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('a direct-message page Discord refuses', () => {
  it('is said in the incident thread, naming the person', async () => {
    h.fake.world.closedDms.add(BOB);
    const root = await openToyIncident(h);
    const note = await h.waitFor('the note of the refused page', inThread(h, root.id, 'did not reach'));
    expect(note.content).toBe(
      `⚠️ The L1 page did not reach <@${BOB}> by direct message (cannot post to a direct message to ${BOB}: Discord answered 50007 (Cannot send messages to this user); Discord refused the request): reach them another way.`,
    );
    // Alice takes direct messages: hers went out, and nothing was said about her.
    await h.waitFor('the page in Alice’s direct messages', () =>
      h.fake.world.messages.find(
        (m) => h.fake.world.channels.get(m.channel_id)?.recipient === ALICE && m.content.includes('INC-1'),
      ),
    );
    const notes = h.fake.world.messages.filter(
      (m) => m.channel_id === root.id && m.content.includes('did not reach'),
    );
    expect(notes.map((m) => m.content)).toEqual([note.content]);
  }, 60_000);
});
