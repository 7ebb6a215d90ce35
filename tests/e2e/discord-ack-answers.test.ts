/**
 * What people are answered when they acknowledge. The person who acknowledged an incident acknowledges it again (👀 and then ✅, or the button after the slash
 * command): that is no mistake to warn about. A second reaction answers nothing; the button says it is done.
 * Someone else's acknowledgement after theirs is still told who acknowledged it. An id that names no incident says
 * where the open ones are listed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { openToyIncident } from '../helpers/discord-incident.ts';
import { BOB, CAROL, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const directTo = (user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user);

describe('an incident acknowledged twice by the same person', () => {
  it('is no refusal: nothing by direct message, and the button says it is done', async () => {
    const root = await openToyIncident(h);
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    h.react(CAROL, root, '👀');
    await h.waitFor(
      'the acknowledgement in the thread',
      inThread(h, root.id, `<@${CAROL}> acknowledged INC-1`),
    );
    h.react(CAROL, root, '✅');
    const again = await h.answer(h.click(CAROL, root, 'incident.ack|INC-1'));
    expect(again.content).not.toMatch(/⚠️/);
    expect(again.content).toContain('INC-1');
    // Bob, who did not acknowledge it, is told who did.
    const bob = await h.answer(h.click(BOB, root, 'incident.ack|INC-1'));
    expect(bob.content).toBe('⚠️ INC-1 is already acknowledged by Carol Chen (Team lead)');

    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    const pagesOnly = directTo(CAROL).filter((m) => !m.content.startsWith('🔔'));
    expect(pagesOnly.map((m) => m.content)).toEqual([]);
    const audit = await h.preflight().engine.incidents.audit('INC-1');
    expect(audit.filter((r) => r.actor === 'carol').map((r) => r.type)).toEqual(['incident.acknowledged']);
  }, 60_000);
});

describe('/ack of an incident that does not exist', () => {
  it('says how to find the open ones', async () => {
    const typo = h.command(CAROL, 'ack', undefined, { incident: 'INC-9' }, { channel: INCIDENT_CHANNEL_ID });
    expect(await h.answer(typo)).toMatchObject({
      content: '⚠️ there is no incident "INC-9"; see /incident status for the open ones',
      ephemeral: true,
    });
  }, 30_000);
});
