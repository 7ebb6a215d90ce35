/**
 * On Discord: a checklist item ticked with ✅, whose ✅ is taken off while the bot is down, is unticked when it is
 * up again (the checklist is still open), and the audit trail says who unticked it.
 */
import { beforeAll, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { DEPLOY_CHANNEL_ID } from '../helpers/fake-discord.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

it('a ✅ taken off a ticked checklist item while the bot was down unticks it', async () => {
  h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.3.0' });
  const root = await h.waitFor('the status message', () =>
    h.fake.world.messages.find((m) => m.channel_id === DEPLOY_CHANNEL_ID && m.content.includes('toy v1.3.0')),
  );
  const notes = await h.waitFor('release notes', inThread(h, root.id, '☐ **Release notes reviewed**'));
  h.react(BOB, notes, '✅');
  const ticked = await h.waitFor('the notes ticked', async () => {
    const d = await h.preflight().engine.store.get('toy-1');
    return d?.checklist.find((c) => c.by === 'bob' && c.status === 'passed');
  });

  await h.restart(() => h.react(BOB, notes, '✅', false));
  await h.waitFor('the notes unticked', async () => {
    const d = await h.preflight().engine.store.get('toy-1');
    return d?.checklist.find((c) => c.id === ticked.id)?.status === 'pending' ? d : undefined;
  });
  const deployment = await h.preflight().engine.store.get('toy-1');
  expect(deployment?.state).toBe('checklist');
  const audit = await h.preflight().engine.store.audit('toy-1');
  expect(audit.filter((r) => r.type === 'checklist.unticked').map((r) => [r.actor, r.detail])).toEqual([
    ['bob', { item: ticked.id }],
  ]);
}, 90_000);
