import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../../helpers/sandbox-copy.ts';

let redis: TestRedis;
let sandbox: SandboxCopy;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await copySandbox();
  h = await startHarness({ runbook: sandbox.runbookText, redisUrl: redis.url, dir: sandbox.dir });
});
afterAll(async () => {
  await h?.stop();
  await sandbox?.remove();
  await redis.stop();
});

async function must(outcome: Promise<{ ok: boolean; error?: unknown }>) {
  const result = await outcome;
  if (!result.ok) throw result.error;
}

describe('the sandbox runbook, deployed through the engine', () => {
  it('runs checklist, gates and timed steps, verifies health and hands over to monitoring', async () => {
    const started = await h.start('v1.3.0', 'alice');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await h.waitFor(id, (d) => d.checklist.filter((c) => c.status === 'passed').length === 4);
    await must(h.apply(id, { type: 'checklist.tick', item: 'release-notes', by: 'bob' }));
    await must(h.apply(id, { type: 'checklist.tick', item: 'security-scan', by: 'dave' }));
    await must(h.apply(id, { type: 'checklist.tick', item: 'support-told', by: 'carol' }));
    await h.waitFor(id, (d) => d.state === 'awaiting_gates');
    await must(h.apply(id, { type: 'gate.approve', gate: 'security', by: 'dave' }));
    await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'bob' }));
    await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'carol' }));
    const d = await h.waitFor(
      id,
      (x) => ['monitoring', 'failed', 'needs_decision', 'rolled_back'].includes(x.state),
      40_000,
    );
    expect(d.state).toBe('monitoring');
    expect(d.steps.map((s) => [s.id, s.status])).toEqual([
      ['backup', 'succeeded'],
      ['migrate', 'succeeded'],
      ['deploy', 'succeeded'],
      ['smoke', 'succeeded'],
    ]);
    const starts = d.steps.map((s) => (s.startedAt ?? 0) - (d.runStart ?? 0));
    expect(starts[1]).toBeGreaterThanOrEqual(2_000);
    expect(starts[2]).toBeGreaterThanOrEqual(4_000);
    expect(starts[3]).toBeGreaterThanOrEqual(6_000);
    const health = await fetch(`http://127.0.0.1:${sandbox.port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', version: 'v1.3.0' });
    expect(await h.preflight.engine.store.liveVersion('toy', 'production')).toEqual({
      version: 'v1.3.0',
      deployment: id,
    });
    const audit = (await h.preflight.engine.store.audit(id)).map((r) => r.type);
    expect(audit).toEqual(
      expect.arrayContaining([
        'deployment.requested',
        'deployment.authorized',
        'step.succeeded',
        'verification',
        'deployment.monitoring',
      ]),
    );
    await must(h.apply(id, { type: 'abort', by: 'alice', emergency: false, reason: 'end of test' }));
  });
});
