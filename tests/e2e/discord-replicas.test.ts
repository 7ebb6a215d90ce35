/**
 * Two bots on one Discord token (two replicas of `preflight start`): Discord dispatches every reaction to both
 * gateway sessions, and a reaction carries no id to tell the two deliveries apart. The person still hears once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { DAVE, ERIN, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { nextSnowflake } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
let stopReplica: (() => Promise<void>) | undefined;
beforeAll(async () => {
  h = harness();
  stopReplica = await h.startReplica();
}, 60_000);
afterAll(async () => {
  await stopReplica?.();
});

describe('two bots on one Discord token', () => {
  it('tell a refused ✅ by direct message once, and count a named approver’s ✅ once', async () => {
    const { security } = await openToyGates(h, 'v1.3.0');
    const dm = nextSnowflake();
    h.fake.world.channels.set(dm, { id: dm, name: '', type: 1, recipient: ERIN });
    const inDm = () => h.fake.world.messages.filter((m) => m.channel_id === dm);

    h.react(ERIN, security, '✅');
    h.react(DAVE, security, '✅');

    await h.waitFor('the refusal in Erin’s direct messages', () => inDm()[0]);
    await h.waitFor('both entries of each reaction handled', async () => {
      const audit = await h.preflight().engine.store.audit('toy-1');
      return audit.some((r) => r.type === 'access.refused' && r.actor === 'erin') &&
        (await h.preflight().chat.inbox.pending()) === 0
        ? audit
        : undefined;
    });
    expect(inDm().map((m) => m.content)).toEqual([
      '⚠️ only Dave Diaz (Security) can approve the Security sign-off gate (gates.security.approvers); your approval was not counted',
    ]);
    const audit = await h.preflight().engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type.startsWith('gate.approv') && r.actor === 'dave')).toHaveLength(1);
    // Nothing was said to anyone else: a ✅ that counted (Dave's approval, the checklist ticks: Carol's completed the
    // checklist) is no refusal when the other bot's delivery of it comes after it changed the deployment.
    const toOthers = h.fake.world.calls.filter(
      (c) => c.method === 'POST' && c.path === '/users/@me/channels' && c.body.recipient_id !== ERIN,
    );
    expect(toOthers).toEqual([]);

    // Taken off and put on again, Erin's ✅ is a new reaction: she is told again, once.
    h.react(ERIN, security, '✅', false);
    await h.waitFor('the removal handled', async () => (await h.preflight().chat.inbox.pending()) === 0);
    h.react(ERIN, security, '✅');
    await h.waitFor('the second refusal in Erin’s direct messages', () => inDm()[1]);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    expect(inDm().map((m) => m.content)).toEqual([inDm()[0]?.content, inDm()[0]?.content]);
  }, 90_000);
});
