/**
 * On Discord someone deletes the page in an open incident's thread, and the gateway tells Preflight (MESSAGE_DELETE).
 * The page is the call to the people of its level (a 👀 on it acknowledges), and its mention goes with it: while
 * nobody has answered, it is posted again in the incident's thread as it stands, with a line saying the earlier one
 * was deleted, once however often the deletion is told; a 👀 on the new one acknowledges. Once acknowledged, a
 * deleted page is left deleted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { entryHandled } from '../helpers/discord-inbox.ts';
import { useDiscordSuite } from '../helpers/discord-runbook-suite.ts';
import { ALICE, BOB, CAROL } from '../helpers/discord-suite.ts';
import { type FakeDiscordMessage, GUILD_ID, INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

// L1 (Ann) has ten minutes to answer: no later page comes while the test runs.
const RUNBOOK = `version: 1
service: svc
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, discord: "${ALICE}" }
  ben: { name: Ben, discord: "${BOB}" }
  cat: { name: Cat, discord: "${CAROL}" }
groups: { oncall: [ann, ben], lead: [cat] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention], respond_within: 10m }
    - { id: L2, notify: [lead], via: [mention], respond_within: 1m }
`;

const suite = useDiscordSuite(RUNBOOK);
let h: DiscordHarness;
let root: FakeDiscordMessage;
beforeAll(async () => {
  h = suite.h;
  const open = h.command(
    ALICE,
    'incident',
    'open',
    { target: 'svc', what: 'checkout is failing' },
    { channel: INCIDENT_CHANNEL_ID },
  );
  expect((await h.answer(open)).content).toMatch(/^🚨 INC-1 opened in /);
  root = await h.waitFor('the incident message', () =>
    h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
  );
});

const inThread = (text: string) =>
  h.fake.world.messages.filter((m) => m.channel_id === root.id && m.content.includes(text));
/** Once the bot has handled the deletion of `message`, and what it sent for it is sent. */
const settled = async (message: FakeDiscordMessage) => {
  await entryHandled(h, `deleted:${message.channel_id}:${message.id}`);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
  await h.preflight().chat.queue.idle();
};
/** The gateway tells the deletion of `message` once more: a second delivery of the same MESSAGE_DELETE. */
const toldAgain = (message: FakeDiscordMessage) =>
  h.fake.gateway.dispatch('MESSAGE_DELETE', {
    id: message.id,
    channel_id: message.channel_id,
    guild_id: GUILD_ID,
  });

describe("a page deleted in an incident's Discord thread", () => {
  it('is posted again once while nobody has answered, where 👀 acknowledges; left deleted once answered', async () => {
    const page = await h.waitFor('the L1 page', async () => {
      const ref = await h.preflight().chat.index.find('INC-1', 'page:0:0');
      return ref && h.fake.world.message(ref.id);
    });
    expect(page.channel_id).toBe(root.id);
    expect(page.content).toContain(`<@${ALICE}>`);
    h.deleteMessage(page);
    // The gateway tells it twice (a replayed dispatch after a resume, say): still one page.
    toldAgain(page);

    const posted = await h.waitFor('the page posted again', () => inThread('**L1')[0], 30_000);
    expect(posted.id).not.toBe(page.id);
    expect(posted.content).toContain(`<@${ALICE}>`);
    const word = inThread('was deleted');
    expect(word).toHaveLength(1);
    expect(word[0]?.content).toContain('INC-1');
    // A page has no buttons: the line says to react, nothing more.
    expect(word[0]?.content).toContain('React to it there.');
    expect(BigInt(word[0]?.id ?? '0')).toBeLessThan(BigInt(posted.id));
    await settled(page);
    expect(inThread('**L1')).toHaveLength(1);
    expect(inThread('was deleted')).toHaveLength(1);

    h.react(ALICE, posted, '👀');
    await h.waitFor(
      'the incident acknowledged',
      async () => (await h.preflight().engine.incidents.get('INC-1'))?.ack?.by === 'ann',
    );
    await h.waitFor('the incident message edited', () =>
      root.content.includes('Acknowledged') ? root : undefined,
    );

    // Answered: the page calls for nothing now, so its deletion is left as it is.
    h.deleteMessage(posted);
    await settled(posted);
    expect(inThread('**L1')).toEqual([]);
    expect(inThread('was deleted')).toHaveLength(1);
  }, 90_000);
});
