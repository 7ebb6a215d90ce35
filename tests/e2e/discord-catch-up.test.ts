/**
 * Reactions made while the bot could not hear them (it was down; the gateway gives no replay to a new session):
 * on its next session the bot reads back the reactions on the messages still waiting for one, so an approval made
 * meanwhile counts; a refused one is not answered out of the blue, and nothing counts twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, ERIN, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('reactions made while the bot was down', () => {
  it('are read back when it is up again: a checklist tick and an approval count, a refusal stays quiet', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' });
    const root = await h.waitFor('the status message', () =>
      h.fake.world.messages.find(
        (m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.0'),
      ),
    );
    h.react(
      BOB,
      await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**')),
      '✅',
    );
    h.react(DAVE, await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan')), '✅');
    const support = await h.waitFor('support', inThread(h, root.id, '☐ **Support knows'));
    await h.waitFor('two items ticked', async () => {
      const d = await h.preflight().engine.store.get('toy-1');
      return (d?.checklist.filter((c) => c.by !== undefined).length ?? 0) >= 2 ? d : undefined;
    });

    // Carol ticks the last item while the bot is down.
    await h.restart(() => h.react(CAROL, support, '✅'));
    const security = await h.waitFor(
      'security gate',
      inThread(h, root.id, 'Security sign-off** gate'),
      40_000,
    );
    await h.waitFor('operations gate', inThread(h, root.id, 'Operations sign-off** gate'));

    // Dave approves Security and Erin (no approver) reacts too, both while the bot is down.
    await h.restart(() => {
      h.react(DAVE, security, '✅');
      h.react(ERIN, security, '✅');
    });
    const approved = await h.waitFor('the security approval read back', async () => {
      const d = await h.preflight().engine.store.get('toy-1');
      const gate = d?.gates.find((g) => g.id === 'security');
      return gate?.status === 'approved' ? gate : undefined;
    });
    expect(approved.approvals.map((a) => a.by)).toEqual(['dave']);
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    const toErin = h.fake.world.messages.filter(
      (m) => h.fake.world.channels.get(m.channel_id)?.recipient === ERIN,
    );
    expect(toErin).toEqual([]);

    // Another new session reads the same reactions again: nothing is recorded or counted twice.
    await h.restart();
    await new Promise((r) => setTimeout(r, 1_500));
    await h.waitFor('the inbox to be empty', async () => (await h.preflight().chat.inbox.pending()) === 0);
    const audit = await h.preflight().engine.store.audit('toy-1');
    expect(audit.filter((r) => r.type === 'gate.approved' || r.type === 'gate.approval')).toHaveLength(1);
  }, 120_000);
});
