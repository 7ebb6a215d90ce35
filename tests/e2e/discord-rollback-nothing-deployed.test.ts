/**
 * Discord end to end: `/rollback` before any step of the deployment started is refused to the person with what to
 * do instead, and an incident opened about it offers no Roll back button (it could only be refused); the deployment
 * still waits for its gate, and `/deploy abort` (what the refusal names) stops it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordHarness } from '../helpers/discord-harness.ts';
import { ALICE, BOB, useDiscordSandbox } from '../helpers/discord-suite.ts';
import { INCIDENT_CHANNEL_ID } from '../helpers/fake-discord.ts';

const RUNBOOK = `version: 1
service: toy
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  alice: { name: Alice, discord: "${ALICE}" }
  bob: { name: Bob, discord: "${BOB}" }
groups: { oncall: [alice, bob] }
permissions: { deploy: [oncall], rollback: [oncall], abort: [oncall] }
gates: { go: { title: Go, approvers: [oncall] } }
steps:
  - { id: ship, title: Ship, needs: [go], run: 'echo shipped' }
rollback:
  steps:
    - { id: undo, title: Undo, run: 'echo undone' }
escalation: { levels: [{ id: L1, notify: [oncall], respond_within: 10m }] }
`;

const harness = useDiscordSandbox({ runbook: () => RUNBOOK });
let h: DiscordHarness;
beforeAll(() => {
  h = harness();
});

describe('/rollback before any step started, on Discord', () => {
  it('is refused with what to do instead; the deployment still waits and can be aborted', async () => {
    h.command(ALICE, 'deploy', 'start', { service: 'toy', version: 'v1.0.0' });
    await h.waitForState('toy-1', ['awaiting_gates']);

    const asked = h.command(BOB, 'rollback', undefined, { id: 'toy-1' });
    expect(await h.answer(asked)).toMatchObject({
      ephemeral: true,
      content:
        '⚠️ nothing of toy-1 (toy v1.0.0) was deployed: no step of it has started, so there is nothing to roll back. To stop it, `/deploy abort toy-1`',
    });
    const d = await h.preflight().engine.store.get('toy-1');
    expect(d?.state).toBe('awaiting_gates');
    expect(d?.rollback).toBeUndefined();

    const open = h.command(
      BOB,
      'incident',
      'open',
      { target: 'toy-1', what: 'errors' },
      { channel: INCIDENT_CHANNEL_ID },
    );
    expect((await h.answer(open)).content).toMatch(/^🚨 INC-1 opened in /);
    const incident = await h.waitFor('the incident message', () =>
      h.fake.world.messages.find((m) => m.channel_id === INCIDENT_CHANNEL_ID && m.content.includes('INC-1')),
    );
    expect(JSON.stringify(incident.components)).toContain('incident.ack|INC-1');
    expect(JSON.stringify(incident.components)).not.toContain('rollback.request');

    const abort = h.command(BOB, 'deploy', 'abort', { id: 'toy-1' });
    expect((await h.answer(abort)).content).toContain('deployment aborted');
    await h.waitForState('toy-1', ['aborted']);
  }, 90_000);
});
