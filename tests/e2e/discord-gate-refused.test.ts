/**
 * Preflight loses Send Messages in #deployments after the deployment's thread is up (a moderator changed the
 * channel's permissions): the gate prompts Discord refuses (403, 50013) are not lost. The requester is told what to
 * fix, and once Preflight is let in again the prompts appear and their approvals count.
 */
import { expect, it } from 'vitest';
import { ALICE, BOB, CAROL, DAVE, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();

it('tells the requester when the gate prompts are refused, and posts them once let in', async () => {
  const h = harness();
  h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.0')),
  );
  h.react(BOB, await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**')), '✅');
  h.react(DAVE, await h.waitFor('scan', inThread(h, root.id, '☐ **Dependency scan')), '✅');
  const support = await h.waitFor('support', inThread(h, root.id, '☐ **Support knows'));
  await h.waitFor('two items ticked', async () => {
    const d = await h.preflight().engine.store.get('toy-1');
    return (d?.checklist.filter((c) => c.by !== undefined).length ?? 0) >= 2 ? d : undefined;
  });

  h.fake.world.refused.set(DEPLOY_CHANNEL_ID, 50013);
  h.react(CAROL, support, '✅');
  const told = await h.waitFor(
    'the direct message to Alice',
    () =>
      h.fake.world.messages.find(
        (m) => h.fake.world.channels.get(m.channel_id)?.recipient === ALICE && m.content.includes('toy-1'),
      ),
    40_000,
  );
  expect(told.content).toContain('50013 (Missing Permissions)');
  expect(inThread(h, root.id, 'Security sign-off** gate')()).toBeUndefined();

  h.fake.world.refused.delete(DEPLOY_CHANNEL_ID);
  const security = await h.waitFor('security gate', inThread(h, root.id, 'Security sign-off** gate'), 90_000);
  await h.waitFor('operations gate', inThread(h, root.id, 'Operations sign-off** gate'));
  h.react(DAVE, security, '✅');
  await h.waitFor('the security gate approved', async () => {
    const d = await h.preflight().engine.store.get('toy-1');
    return d?.gates.find((g) => g.id === 'security')?.status === 'approved';
  });
}, 180_000);
