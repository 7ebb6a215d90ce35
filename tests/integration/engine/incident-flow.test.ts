import { beforeAll, describe, expect, it } from 'vitest';
import { applyIncidentEvent, type Deployment } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { startTestRedis } from '../../helpers/redis-server.ts';
import type { SandboxCopy } from '../../helpers/sandbox-copy.ts';
import { useSandboxHarness } from '../../helpers/sandbox-engine.ts';

const suite = useSandboxHarness(startTestRedis);
let h: Harness;
let sandbox: SandboxCopy;
beforeAll(() => {
  ({ h, sandbox } = suite);
});

async function deploy(version: string): Promise<Deployment> {
  const started = await h.start(version, 'alice');
  if (!started.ok) throw started.error;
  const id = started.deployment.id;
  await h.waitFor(id, (d) => d.checklist.filter((c) => c.status === 'passed').length === 4);
  for (const [item, by] of [
    ['release-notes', 'bob'],
    ['security-scan', 'dave'],
    ['support-told', 'carol'],
  ] as const) {
    await h.apply(id, { type: 'checklist.tick', item, by });
  }
  await h.waitFor(id, (d) => d.state === 'awaiting_gates');
  for (const [gate, by] of [
    ['security', 'dave'],
    ['operations', 'bob'],
    ['operations', 'carol'],
  ] as const) {
    await h.apply(id, { type: 'gate.approve', gate, by });
  }
  return h.waitFor(
    id,
    (d) => d.state !== 'awaiting_gates' && ['monitoring', 'failed', 'needs_decision'].includes(d.state),
    40_000,
  );
}

describe('a health failure after a deploy', () => {
  it('opens an incident, pages L1 then L2, stops on ack, and a rollback approved by someone else restores the previous version', async () => {
    const first = await deploy('v1.2.0');
    expect(first.state, JSON.stringify(first.decision)).toBe('monitoring');
    await h.apply(first.id, { type: 'monitoring.complete' });
    sandbox.toy('break', '--version', 'v1.3.0', '--after', '8s');
    const second = await deploy('v1.3.0');
    expect(second.state).toBe('monitoring');
    expect(second.previousVersion).toBe('v1.2.0');

    const deadline = Date.now() + 30_000;
    let incident = await h.preflight.engine.incidents.openFor(second.id);
    while (!incident && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      incident = await h.preflight.engine.incidents.openFor(second.id);
    }
    expect(incident).toBeDefined();
    if (!incident) return;
    // The error ratio, the failing /health and the critical alert all fire; whichever is seen first opens it.
    expect(['service-failure', 'error-ratio', 'critical-alerts']).toContain(incident.trigger);
    expect(incident.title).toMatch(/, after toy-2 \(v1\.3\.0\)$/);
    expect(incident.health).toMatch(/toy-health FAILING \(HTTP 503/);
    expect(incident.pages.map((p) => [p.levelId, p.people])).toEqual([['L1', ['alice', 'bob']]]);

    const until = Date.now() + 20_000;
    let current = incident;
    while (current.pages.length < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      current = (await h.preflight.engine.incidents.get(incident.id)) ?? current;
    }
    expect(current.pages.map((p) => p.levelId)).toEqual(['L1', 'L2']);
    expect((current.pages[1]?.at ?? 0) - current.openedAt).toBeGreaterThanOrEqual(10_000);

    const refused = await applyIncidentEvent(h.preflight.engine, incident.id, {
      type: 'incident.ack',
      by: 'dave',
    });
    expect(refused.ok).toBe(false);
    const acked = await applyIncidentEvent(h.preflight.engine, incident.id, {
      type: 'incident.ack',
      by: 'carol',
    });
    expect(acked.ok && acked.incident.state).toBe('acknowledged');

    await h.apply(second.id, { type: 'rollback.request', by: 'carol', reason: 'health failing' });
    // Four eyes: Carol asked, so her approval does not count; Bob's does.
    const own = await h.apply(second.id, { type: 'rollback.approve', by: 'carol' });
    expect(!own.ok && own.error.code).toBe('SELF_APPROVAL');
    expect((await h.get(second.id)).rollback?.started).toBe(false);
    const approved = await h.apply(second.id, { type: 'rollback.approve', by: 'bob' });
    expect(approved.ok).toBe(true);
    const rolled = await h.waitFor(
      second.id,
      (d) => ['rolled_back', 'rollback_failed', 'needs_decision'].includes(d.state),
      40_000,
    );
    expect(rolled.state).toBe('rolled_back');
    const health = await fetch(`http://127.0.0.1:${sandbox.port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', version: 'v1.2.0' });
    expect(await h.preflight.engine.store.liveVersion('toy', 'production')).toEqual({
      version: 'v1.2.0',
      deployment: second.id,
    });
    const topics = h.incidentDeliveries.map((d) => d.effect.topic.kind);
    expect(topics).toEqual(expect.arrayContaining(['incident', 'page', 'dm', 'note']));
  });
});
