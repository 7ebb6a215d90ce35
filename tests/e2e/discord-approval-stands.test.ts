/**
 * Taking a ✅ off a gate that has already closed on it withdraws nothing: on Discord, as on Slack (the same core
 * answer), the approver is told by direct message that their approval stands and how to stop the deployment.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, openToyGates, useDiscordSandbox } from '../helpers/discord-suite.ts';

// The backup step runs until the test aborts the deployment, so the deployment is caught mid-step.
const harness = useDiscordSandbox({
  runbook: (text) =>
    text.replace('run: node toy.mjs backup', 'run: sleep 300').replace('timeout: 10s', 'timeout: 10m'),
});
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

const dmsTo = (user: string) =>
  h.fake.world.messages.filter((m) => h.fake.world.channels.get(m.channel_id)?.recipient === user);

describe('a ✅ taken off a gate that already closed, on Discord', () => {
  it('tells the approver by direct message that the approval stands and how to stop the deployment', async () => {
    const { operations } = await openToyGates(h, 'v1.3.0');
    onTestFinished(async () => {
      await h.answer(h.command(ALICE, 'deploy', 'abort', { id: 'toy-1' }));
      await h.waitForState('toy-1', ['aborted']);
    });
    h.react(BOB, operations, '✅');
    h.react(CAROL, operations, '✅');
    await h.waitFor('Back up the database running', async () => {
      const d = await h.preflight().engine.store.get('toy-1');
      return d?.steps.find((s) => s.id === 'backup')?.status === 'running';
    });
    const before = dmsTo(BOB).length;

    h.react(BOB, operations, '✅', false);
    const told = await h.waitFor('the answer to Bob', () => dmsTo(BOB)[before]);
    expect(told.content).toBe(
      "⚠️ the Operations sign-off gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): the steps it let through have started. To hold toy-1's next steps: `/deploy pause toy-1`; to stop it: `/deploy abort toy-1`.",
    );
    const d = await h.preflight().engine.store.get('toy-1');
    expect(d?.gates.find((g) => g.id === 'operations')?.approvals.map((a) => a.by)).toEqual(['bob', 'carol']);
    expect(d?.steps.find((s) => s.id === 'backup')?.status).toBe('running');
  }, 120_000);
});
