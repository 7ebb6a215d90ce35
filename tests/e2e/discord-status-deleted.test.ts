/**
 * On Discord someone deletes a deployment's status message but not its thread (Discord keeps a thread whose first
 * message is deleted). The next status edit finds it gone (Unknown Message), so the thread is started anew: a new
 * status message, once, a word in its thread that the earlier one was deleted, and the checklist items still
 * waiting posted again there, where their ✅ count and the gates follow.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { BOB, CAROL, DAVE, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe("a deployment's deleted Discord status message, its thread left", () => {
  it('starts the thread anew once, and what waited is posted again and answered there', async () => {
    const answer = await h.answer(h.command(BOB, 'deploy', 'start', { service: 'toy', version: 'v1.4.0' }));
    const id = /toy-\d+/.exec(answer.content)?.[0] ?? '';
    const statuses = () =>
      h.fake.world.messages.filter(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.4.0'),
      );
    const root = await h.waitFor('the status message', () => statuses()[0]);
    const notes = await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**'));
    await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan'));
    await h.waitFor('support', inThread(h, root.id, '☐ **Support knows'));
    h.fake.world.messages.splice(h.fake.world.messages.indexOf(root), 1);
    expect(h.fake.world.channels.has(root.id)).toBe(true);

    // Bob's tick edits the status message, which is gone.
    h.react(BOB, notes, '✅');
    const anew = await h.waitFor('a new status message', () => statuses()[0], 60_000);
    const said = (text: string) =>
      h.fake.world.messages.filter((m) => m.channel_id === anew.id && m.content.includes(text));
    await h.waitFor('the word in the new thread', inThread(h, anew.id, 'earlier thread was deleted'), 30_000);
    expect(said('earlier thread was deleted')[0]?.content).toContain(`/deploy status ${id}`);
    const scan = await h.waitFor('scan again', inThread(h, anew.id, '☐ **Dependency scan'), 30_000);
    const support = await h.waitFor('support again', inThread(h, anew.id, '☐ **Support knows'), 30_000);
    expect(said('Release notes reviewed')).toEqual([]);

    h.react(DAVE, scan, '✅');
    h.react(CAROL, support, '✅');
    await h.waitFor(
      'the gates in the new thread',
      inThread(h, anew.id, 'Operations sign-off** gate'),
      60_000,
    );
    await h.waitFor('the new status edited', () =>
      anew.content.includes('waiting for approvals') ? anew : undefined,
    );
    expect(statuses()).toHaveLength(1);
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(
      h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes('sign-off** gate')),
    ).toEqual([]);
    await h.answer(h.command(BOB, 'deploy', 'abort', { id }));
    await h.waitForState(id, ['aborted']);
  }, 150_000);
});
