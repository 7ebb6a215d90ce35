/**
 * Taking a ✅ off a checklist item once the checklist has passed unticks nothing: on Discord, as on Slack (the same
 * core answer), the person is told by direct message that their tick stands and what to do instead, naming who may.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, DAVE, inThread, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

const harness = useDiscordSandbox();
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const dmsTo = (user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user);

describe('a ✅ taken off a checklist item after the checklist passed, on Discord', () => {
  it('tells its owner by direct message that the tick stands, and who may hold or stop the deployment', async () => {
    const { root } = await openToyGates(h, 'v1.3.0');
    onTestFinished(async () => {
      await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1' }));
      await h.waitForState('toy-1', ['aborted']);
    });
    const scan = await h.waitFor(
      'the scan item',
      inThread(h, root.id, '**Dependency scan has no critical findings**: done by'),
    );
    const before = dmsTo(DAVE).length;

    h.react(DAVE, scan, '✅', false);
    const told = await h.waitFor('the answer to Dave', () => dmsTo(DAVE)[before]);
    expect(told.content).toBe(
      '⚠️ the checklist already passed, so your tick on "Dependency scan has no critical findings" stands (taking your ✅ off does not untick it): its steps have not started yet. To hold toy-1\'s next steps: `/deploy pause toy-1` (only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may: ask them); to stop it: `/deploy abort toy-1` (only Alice Adams (DevOps on-call), Bob Brown (DevOps on-call), Carol Chen (Team lead) may: ask them).',
    );
    const d = await h.preflight().engine.store.get('toy-1');
    expect(d?.checklist.find((i) => i.id === 'security-scan')).toMatchObject({
      status: 'passed',
      by: 'dave',
    });
    expect(d?.state).toBe('awaiting_gates');
  }, 120_000);
});
