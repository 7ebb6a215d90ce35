/**
 * Discord end to end: the real discord.js client logged in to a local fake Discord (REST API + WebSocket gateway
 * speaking v10), driven only by gateway dispatches. A whole sandbox deployment: deferred slash commands, one
 * thread, the checklist and gates by reaction and by button, private refusals, a repeated interaction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  autocompleteInteraction,
  buttonInteraction,
  newInteractionIds,
  reactionData,
} from '../helpers/discord-events.ts';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, ERIN, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID, GUILD_ID, INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';
import { expectToyMonitoredByItsPeople } from '../helpers/toy-deployed-by-hand.ts';

const harness = useDiscordSandbox({
  onStop: (stopping) => {
    if (process.env.DEBUG_DISCORD)
      console.log(
        stopping.logs.filter((l) => /"level":(40|50)/.test(l)).join(''),
        JSON.stringify(stopping.fake.world.calls.slice(-8)),
      );
  },
});
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const channel = (id: string) => {
  const found = h.fake.world.channels.get(id);
  if (!found) throw new Error(`no channel ${id}`);
  return found;
};
const inThread = (thread: string, text: string) => () =>
  h.fake.world.messages.find((m) => m.channel_id === thread && m.content.includes(text));

describe('a whole deployment from Discord', () => {
  it('connects with the intents reactions and deleted prompts need', () => {
    // Guilds | GuildMessages (a prompt's deletion) | GuildMessageReactions | DirectMessages | DirectMessageReactions
    expect(h.fake.gateway.intents()).toBe(1 | 512 | 1024 | 4096 | 8192);
  });

  it('suggests services and their environments from the runbooks while a command is typed', async () => {
    const suggestions = async (values: Record<string, string>, focused: string) => {
      const ids = newInteractionIds();
      h.fake.gateway.dispatch(
        'INTERACTION_CREATE',
        autocompleteInteraction(ids, ALICE, channel(DEPLOY_CHANNEL_ID), values, focused),
      );
      const found = await h.waitFor('the suggestions', () =>
        h.fake.world.answers.find((a) => a.token === ids.token && a.kind === 'callback'),
      );
      expect(found.body.type).toBe(8);
      return (found.body.data as { choices: { name: string }[] }).choices.map((c) => c.name);
    };
    expect(await suggestions({ service: 't' }, 'service')).toEqual(['toy']);
    expect(await suggestions({ service: 'zz' }, 'service')).toEqual([]);
    expect(await suggestions({ service: 'toy', environment: '' }, 'environment')).toEqual([
      'production',
      'staging',
    ]);
  });

  it('starts by slash command in one thread, with checklist and gates by reaction and by button', async () => {
    const start = h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' });
    const answer = await h.answer(start);
    const callback = h.fake.world.answers.find((a) => a.token === start.token && a.kind === 'callback');
    expect(callback?.body).toEqual({ type: 5, data: { flags: 64 } });
    // The status message is the channel's one top-level message about it; the answer is for the requester only.
    const root = await h.waitFor('the status message', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.0'),
      ),
    );
    // The answer mentions the deploy channel and links the deployment's thread (it has the status message's id).
    expect(answer).toEqual({
      kind: 'edit',
      content: `Starting toy-1: toy v1.3.0 → production. Follow it in <#${DEPLOY_CHANNEL_ID}> ([toy-1 thread](https://discord.com/channels/${GUILD_ID}/${root.id})).`,
      ephemeral: true,
    });
    const releaseNotes = await h.waitFor(
      'release notes item',
      inThread(root.id, '☐ **Release notes reviewed**'),
    );
    expect(root.thread).toBe(root.id);
    expect(releaseNotes.content).toContain(`<@${ALICE}>`);
    const threadCalls = h.fake.world.calls.filter((c) => c.path.endsWith('/threads'));
    expect(threadCalls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', `/channels/${DEPLOY_CHANNEL_ID}/messages/${root.id}/threads`, 201],
    ]);
    expect(String(threadCalls[0]?.body.name)).toContain('toy-1');

    // The checklist: ticked by ✅ (Bob, and Dave with a skin tone) and by a button (Carol).
    const scan = await h.waitFor('security scan item', inThread(root.id, '☐ **Dependency scan'));
    const support = await h.waitFor('support item', inThread(root.id, '☐ **Support knows'));
    h.react(BOB, releaseNotes, '✅');
    h.react(DAVE, scan, '✅');
    const tick = h.click(CAROL, support, 'checklist.tick|toy-1:support-told');
    expect((await h.answer(tick)).ephemeral).toBe(true);

    const security = await h.waitFor('security gate', inThread(root.id, 'Security sign-off** gate'), 40_000);
    const operations = await h.waitFor('operations gate', inThread(root.id, 'Operations sign-off** gate'));
    expect(security.content).toContain(`<@${DAVE}>`);
    expect(security.components).toEqual([
      {
        type: 1,
        components: [
          expect.objectContaining({ type: 2, style: 1, custom_id: 'gate.approve|toy-1:security' }),
          expect.objectContaining({ type: 2, style: 4, custom_id: 'gate.reject|toy-1:security' }),
        ],
      },
    ]);

    // Refused privately: the requester, and someone who is not an approver of the gate.
    const byAlice = await h.answer(h.click(ALICE, operations, 'gate.approve|toy-1:operations'));
    expect(byAlice.ephemeral).toBe(true);
    expect(byAlice.content).toMatch(/^⚠️ .*own/);
    const byErin = await h.answer(h.click(ERIN, operations, 'gate.approve|toy-1:operations'));
    expect(byErin.ephemeral).toBe(true);
    expect(byErin.content).toMatch(/^⚠️ /);
    expect(byErin.content).toContain('Operations sign-off');

    // A ✅ from someone who may not approve is refused by direct message, not in the thread.
    h.react(ERIN, security, '✅');
    const dmToErin = await h.waitFor('the refusal sent to Erin by DM', () =>
      h.fake.world.messages.find(
        (m) =>
          h.fake.world.channels.get(m.channel_id)?.recipient === ERIN &&
          m.content.includes('Security sign-off'),
      ),
    );
    expect(dmToErin.content).toMatch(/^⚠️ /);
    expect(
      h.fake.world.messages.filter(
        (m) => m.channel_id !== dmToErin.channel_id && m.content.includes('not counted'),
      ),
    ).toEqual([]);

    // A server's own emoji that only borrows the name is not a ✅: Dave, whose answer the gate awaits, is told so.
    const custom = reactionData(DAVE, security, 'white_check_mark', true) as unknown as Record<
      string,
      unknown
    >;
    custom.emoji = { id: '1111111111111111111', name: 'white_check_mark' };
    h.fake.gateway.dispatch('MESSAGE_REACTION_ADD', custom as never);
    await h.waitFor('the note to Dave', () =>
      h.fake.world.messages.find((m) =>
        m.content.includes('a server emoji :white_check_mark: approves nothing'),
      ),
    );
    const stillOpen = await h.preflight().engine.store.get('toy-1');
    expect(stillOpen?.gates.find((g) => g.id === 'security')?.approvals).toEqual([]);

    // Security by reaction; operations by two buttons, the first delivered twice by the gateway.
    h.react(DAVE, security, '✅');
    const byBob = h.click(BOB, operations, 'gate.approve|toy-1:operations');
    h.click(BOB, operations, 'gate.approve|toy-1:operations', byBob);
    const bobAnswer = await h.answer(byBob);
    expect(bobAnswer).toMatchObject({ kind: 'edit', ephemeral: true });
    expect(bobAnswer.content).toContain('approval counted for the Operations sign-off gate: 1 of 2');
    const byCarol = await h.answer(h.click(CAROL, operations, 'gate.approve|toy-1:operations'));
    expect(byCarol.content).toContain('gate approved (2 of 2)');
    // Every interaction was acknowledged well within Discord's 3 seconds.
    for (const sent of [start, tick, byBob]) {
      const callback = h.fake.world.answers.find((a) => a.token === sent.token && a.kind === 'callback');
      expect((callback?.at ?? Number.POSITIVE_INFINITY) - sent.at).toBeLessThan(3_000);
    }
    await new Promise((r) => setTimeout(r, 300));
    const bobAnswers = h.fake.world.answers.filter((a) => a.token === byBob.token && a.kind !== 'callback');
    expect(bobAnswers).toHaveLength(1);

    await expectToyMonitoredByItsPeople(h);

    await h.waitFor('the monitoring report', inThread(root.id, '**Report**'), 20_000);
    const thread = h.fake.world.messages.filter((m) => m.channel_id === root.id).map((m) => m.content);
    for (const text of ['Deployment authorized', 'Back up the database', 'Deploy the new version'])
      expect(thread.some((t) => t.includes(text))).toBe(true);
    expect(h.fake.world.message(releaseNotes.id)?.content).toContain(`done by <@${BOB}>`);
    expect(h.fake.world.message(root.id)?.edits).toBeGreaterThan(0);
  }, 150_000);

  it('opens an incident in the incident channel with its rollback prompt, pages by mention and DM, honours a 429', async () => {
    const incidentPosts = new RegExp(`^/channels/${INCIDENT_CHANNEL_ID}/messages$`);
    h.fake.rateLimitOnce(incidentPosts, 1);
    const open = h.command(ALICE, 'incident', 'open', { what: 'the toy answers 500', target: 'toy-1' });
    const answer = await h.answer(open);
    expect(answer.kind).toBe('followup');

    const incident = await h.waitFor('the incident message', () =>
      h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
    );
    // The incident post waited out a 429, longer than an answer waits for the thread it points to: the answer
    // links the channel, saying the post is not there yet, rather than keep the person (and the inbox) waiting.
    // (The start answer above has its thread link.)
    expect(answer.content).toBe(
      `🚨 INC-1 opened in <#${INCIDENT_CHANNEL_ID}> (⏳ its thread is not posted there yet: until it is, \`/incident status INC-1\` shows where it stands) for toy production; paging L1.`,
    );
    // The incident links back to the deployment's thread.
    const root = h.fake.world.messages.find(
      (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.0'),
    );
    expect(incident.content).toContain(
      `thread in <#${DEPLOY_CHANNEL_ID}> ([toy-1 thread](https://discord.com/channels/${GUILD_ID}/${root?.id}))`,
    );
    expect(incident.content).toContain('the toy answers 500');
    expect(incident.content).toContain('Roll back');
    expect(incident.components[0]).toMatchObject({
      type: 1,
      components: [
        expect.objectContaining({ custom_id: 'incident.ack|INC-1' }),
        expect.objectContaining({ custom_id: 'rollback.request|toy-1' }),
        expect.objectContaining({ custom_id: 'incident.emergency|INC-1:stop' }),
        expect.objectContaining({ custom_id: 'incident.emergency|INC-1:logs' }),
      ],
    });
    // The 429 was waited out (Retry-After: 1 s) and the message then posted once.
    const tries = h.fake.world.calls.filter((c) => c.method === 'POST' && incidentPosts.test(c.path));
    expect(tries.map((c) => c.status).slice(0, 2)).toEqual([429, 200]);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000 - 10);
    expect(h.fake.world.messages.filter((m) => m.content.includes('🚨 **INC-1**'))).toHaveLength(1);

    // L1 is paged in the incident's thread by mention, and by direct message (via: [mention, dm]).
    const page = await h.waitFor('the L1 page', inThread(incident.id, 'L1'));
    expect(page.content).toContain(`<@${ALICE}>`);
    expect(page.content).toContain(`<@${BOB}>`);
    // Direct messages opened for the pages (Erin's and Dave's came earlier, for a refused reaction and a server
    // emoji that approves nothing).
    const pageDms = () =>
      [...h.fake.world.channels.values()].filter(
        (c) => c.type === 1 && c.recipient !== ERIN && c.recipient !== DAVE,
      );
    await h.waitFor('two direct messages', () => pageDms().length >= 2);
    const dms = pageDms();
    expect(dms.map((c) => c.recipient).sort()).toEqual([ALICE, BOB]);
    await h.waitFor('the DM pages', () =>
      dms.every((c) =>
        h.fake.world.messages.some((m) => m.channel_id === c.id && m.content.includes('INC-1')),
      ),
    );
  }, 60_000);

  it('drops a gateway packet discord.js cannot read, logs it, and keeps serving', async () => {
    const status = h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID);
    if (!status) throw new Error('the status message is missing');
    const noUser = buttonInteraction(
      newInteractionIds(),
      BOB,
      channel(DEPLOY_CHANNEL_ID),
      status,
      'x|y',
    ) as unknown as Record<string, unknown>;
    delete noUser.member;
    delete noUser.user;
    h.fake.gateway.dispatch('INTERACTION_CREATE', noUser as never);
    const noEmoji = reactionData(BOB, status, '✅', true) as unknown as Record<string, unknown>;
    delete noEmoji.emoji;
    h.fake.gateway.dispatch('MESSAGE_REACTION_ADD', noEmoji as never);
    await h.waitFor('the dropped packet logged', () =>
      h.logs.some((l) => l.includes('dropped a Discord gateway packet') && l.includes('INTERACTION_CREATE')),
    );
    const help = h.command(ERIN, 'deploy', 'help');
    expect((await h.answer(help)).content).toContain('/deploy start');
  }, 30_000);

  it('counts a reaction on a message posted before the bot restarted: 👀 on a DM page acknowledges', async () => {
    const incident = h.fake.world.messages.find(
      (m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1'),
    );
    if (!incident) throw new Error('the incident message is missing');
    const page = h.fake.world.messages.find(
      (m) => h.fake.world.channels.get(m.channel_id)?.recipient === BOB && m.content.includes('INC-1'),
    );
    if (!page) throw new Error('Bob’s direct-message page is missing');
    await h.restart();
    h.react(BOB, page, '👀');
    const acked = await h.waitFor('the acknowledgement', async () => {
      const found = await h.preflight().engine.incidents.get('INC-1');
      return found?.ack && found;
    });
    expect(acked.ack?.by).toBe('bob');
    await h.waitFor('the incident message edited', () =>
      h.fake.world.message(incident.id)?.content.includes(`Acknowledged by <@${BOB}>`),
    );
  }, 60_000);
});
