/**
 * A refused reaction on Discord is answered by direct message (there is no private reply to a reaction there):
 * a 429 from Discord on that message is waited out, so the person still hears why their ✅ did not count. One who
 * takes no direct messages is told in the thread, naming only them, once in a while however often they react.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { type FakeDiscordMessage, nextSnowflake } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
let gate: FakeDiscordMessage | undefined;
let other: FakeDiscordMessage | undefined;
let dm = '';
/** discord.js tries a request 4 times on 5xx: Discord fails all of them. */
const BAD_MOMENT = 4;
const refusalsBy = async (actor: string) =>
  (await h.preflight().engine.store.audit('toy-1')).filter(
    (r) => r.type === 'access.refused' && r.actor === actor,
  );
beforeAll(() => {
  h = harness();
});

describe('a refusal sent by direct message', () => {
  it('reaches the person after Discord answers it 429 with retry_after', async () => {
    const { security, operations } = await openToyGates(h, 'v1.3.0');
    gate = security;
    other = operations;
    // Erin's direct-message channel, so that only the message to her is rate-limited.
    dm = nextSnowflake();
    h.fake.world.channels.set(dm, { id: dm, name: '', type: 1, recipient: ERIN });
    const route = new RegExp(`^/channels/${dm}/messages$`);
    h.fake.rateLimitOnce(route, 1);

    h.react(ERIN, security, '✅');

    const refusal = await h.waitFor('the refusal in Erin’s direct messages', () =>
      h.fake.world.messages.find((m) => m.channel_id === dm),
    );
    expect(refusal.content).toBe(
      '⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted',
    );
    expect(h.fake.world.calls.filter((c) => route.test(c.path)).map((c) => c.status)).toEqual([429, 200]);
    expect(h.fake.world.messages.filter((m) => m.channel_id === dm)).toHaveLength(1);
  }, 60_000);

  it('reaches the person once Discord is back after 5xx, and the refusal is recorded once', async () => {
    const security = gate;
    if (!security) throw new Error('the first test opens the gate');
    const route = new RegExp(`^/channels/${dm}/messages$`);
    const before = (await refusalsBy('erin')).length;
    const inDm = () => h.fake.world.messages.filter((m) => m.channel_id === dm);
    h.fake.failNext(route, 500, BAD_MOMENT);

    // Taken off and put on again: a new reaction, refused again.
    h.react(ERIN, security, '✅', false);
    await h.waitFor('the removal handled', async () => (await h.preflight().chat.inbox.pending()) === 0);
    h.react(ERIN, security, '✅');

    await h.waitFor('the second refusal in Erin’s direct messages', () => inDm()[1]);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    expect(inDm()[1]?.content).toBe(inDm()[0]?.content);
    expect(h.fake.world.calls.filter((c) => route.test(c.path)).map((c) => c.status)).toEqual([
      429, 200, 500, 500, 500, 500, 200,
    ]);
    expect(await refusalsBy('erin')).toHaveLength(before + 1);
  }, 60_000);

  it('is said in the thread to a person who takes no direct messages, once however often they react', async () => {
    const security = gate;
    if (!security) throw new Error('the first test opens the gate');
    h.fake.world.closedDms.add(ERIN);
    const toErin = () =>
      h.fake.world.messages.filter(
        (m) => m.channel_id === security.channel_id && m.content.startsWith(`<@${ERIN}>`),
      );
    // Every refusal is audited: handled, the reactions show there (the earlier tests' refusals are the first two).
    const handled = (count: number) =>
      h.waitFor(`${count} refusals handled`, async () => {
        const audit = await h.preflight().engine.store.audit('toy-1');
        return audit.filter((r) => r.type === 'access.refused' && r.actor === 'erin').length >= count;
      });
    // Each ✅ again is one taken off and put on again (Discord shows one reaction per person and emoji).
    const again = () => {
      h.react(ERIN, security, '✅', false);
      h.react(ERIN, security, '✅');
    };
    again();

    const said = await h.waitFor('the refusal in the gate’s thread', () => toErin()[0]);
    expect(said.content).toBe(
      `<@${ERIN}> ⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted (said here because Discord does not let Preflight send you direct messages: allow direct messages from this server in its Privacy Settings to get these privately)`,
    );
    const posted = h.fake.world.calls.find((c) => c.method === 'POST' && c.body.content === said.content);
    expect(posted?.body.allowed_mentions).toEqual({ users: [ERIN], replied_user: false });
    expect(posted?.body.message_reference).toMatchObject({ message_id: security.id });

    // Reacting again and again, even to a bot restarted meanwhile, says nothing more there.
    again();
    again();
    await handled(5);
    await h.restart();
    again();
    await handled(6);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    expect(toErin()).toHaveLength(1);
  }, 90_000);

  it('is said in the thread once Discord is back, when the post failed with 5xx', async () => {
    const operations = other;
    if (!operations) throw new Error('the first test opens the gate');
    const route = new RegExp(`^/channels/${operations.channel_id}/messages$`);
    const toErin = () =>
      h.fake.world.messages.filter(
        (m) =>
          m.channel_id === operations.channel_id &&
          m.content.startsWith(`<@${ERIN}>`) &&
          m.content.includes('Operations sign-off'),
      );
    // Counted on this gate: a read-back after the restart above may still record the Security gate's refusal again.
    const aboutOperations = async () =>
      (await refusalsBy('erin')).filter((r) => String(r.detail?.reason).includes('Operations sign-off'));
    const before = (await aboutOperations()).length;
    h.fake.failNext(route, 500, BAD_MOMENT);

    h.react(ERIN, operations, '✅');

    const said = await h.waitFor('the refusal in the Operations gate’s thread', () => toErin()[0]);
    expect(said.content).toMatch(/⚠️ .*Operations sign-off gate.*your approval was not counted/);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    expect(toErin()).toHaveLength(1);
    expect(await aboutOperations()).toHaveLength(before + 1);
  }, 60_000);
});
