import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { startTestRedis } from '../../helpers/redis-server.ts';
import type { SandboxCopy } from '../../helpers/sandbox-copy.ts';
import {
  approveBothGates,
  expectMonitoring,
  must,
  startPastChecklist,
  useSandboxHarness,
} from '../../helpers/sandbox-engine.ts';

const suite = useSandboxHarness(startTestRedis);
let h: Harness;
let sandbox: SandboxCopy;
beforeAll(() => {
  ({ h, sandbox } = suite);
});

describe('the sandbox runbook, deployed through the engine', () => {
  it('runs checklist, gates and timed steps, verifies health and hands over to monitoring', async () => {
    const id = await startPastChecklist(h);
    await approveBothGates(h, id);
    const d = await expectMonitoring(h, id, 40_000);
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
