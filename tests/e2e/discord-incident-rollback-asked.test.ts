/**
 * A rollback asked for from the incident by its Roll back button (or 🔄) while it needs another person's approval:
 * the incident thread, where the people paged are, says who asked and who it waits for, and the incident message
 * says it waits for approval (not that it is rolling back) and keeps its Roll back button, which is an approver's
 * approval. Once approved from there, the thread says the rollback runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, CAROL, DAVE, ERIN, inThread, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: toy
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, discord: "${ALICE}" }
  bob: { name: Bob, discord: "${BOB}" }
  carol: { name: Carol, discord: "${CAROL}" }
  dave: { name: Dave, discord: "${DAVE}" }
  erin: { name: Erin, discord: "${ERIN}" }
groups: { oncall: [alice, bob], lead: [carol] }
permissions: { deploy: [oncall], rollback: [oncall], incident: [oncall, lead] }
steps:
  - { id: ship, title: Ship, run: 'echo shipped' }
health:
  - { id: alive, title: Alive, run: 'true' }
monitoring:
  - { id: watch, title: Watch, from: 0s, to: 10m, every: 30s, checks: [alive] }
rollback:
  triggers:
    - { id: declared, manual: true }
  approval: { approvers: [oncall, lead], required: 1, allow_self: false }
  steps:
    - { id: undo, title: Undo, run: 'echo undone' }
escalation:
  levels:
    - { id: L1, notify: [oncall], respond_within: 10m }
`;

const harness = useDiscordSandbox({ runbook: () => RUNBOOK });
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('a rollback asked by the Roll back button on an incident', () => {
  it('is said in the incident thread with who it waits for, and approved from the incident', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.0.0' });
    await h.waitForState('toy-1', ['monitoring']);
    const open = h.command(
      ALICE,
      'incident',
      'open',
      { target: 'toy-1', what: 'errors after the deploy' },
      { channel: INCIDENT_CHANNEL_ID },
    );
    expect((await h.answer(open)).content).toMatch(/^🚨 INC-1 opened in /);
    const root = await h.waitFor('the incident message', () =>
      h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
    );
    await h.waitFor('the L1 page', inThread(h, root.id, 'L1'));

    const asked = h.click(ALICE, root, 'rollback.request|toy-1');
    // The asker learns who it waits for and how they approve, not only that their own approval does not count.
    expect((await h.answer(asked)).content).toBe(
      'rollback asked; it runs once approved (0 of 1): your own approval does not count; it waits for 1 more approval, from Bob or Carol: the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback',
    );
    const note = await h.waitFor(
      'the rollback asked, in the incident thread',
      inThread(h, root.id, 'asked to roll back'),
    );
    expect(note.content).toContain(`<@${ALICE}> asked to roll back toy-1`);
    expect(note.content).toContain('it waits for 1 more approval, from Bob or Carol');
    const waiting = await h.waitFor('the incident message showing the wait', () => {
      const m = h.fake.world.message(root.id);
      return m?.content.includes('waiting for its rollback to be approved') ? m : undefined;
    });
    expect(waiting.content).not.toContain('rolling back)');
    expect(JSON.stringify(waiting.components)).toContain('rollback.request|toy-1');

    // Carol, the team lead, approves from the incident: her press of Roll back is her approval.
    h.click(CAROL, waiting, 'rollback.request|toy-1');
    const started = await h.waitFor(
      'the rollback running, in the incident thread',
      inThread(h, root.id, 'rolling back toy'),
    );
    expect(started.content).toContain(`<@${CAROL}> approved the rollback <@${ALICE}> asked for`);
    await h.waitForState('toy-1', ['rolled_back']);
  }, 90_000);
});
