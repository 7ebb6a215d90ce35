/**
 * The baseline a `worse_than_baseline` trigger compares with is measured when the run begins, not when the
 * deployment was asked for: a gate approved hours later must not compare the new version with that morning's load.
 */
import { describe, expect, it } from 'vitest';
import { createKeySpace } from '../../../src/core/index.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { incidentRunbook } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

describe('the baseline of a worse-than-baseline trigger', () => {
  it('is what Prometheus reads once the gate is approved and the steps begin', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.5' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const started = await h.start('v1.0.0', 'ann');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await h.waitFor(id, (d) => d.state === 'awaiting_gates');
    // Time enough for a baseline job queued at the request to have run.
    await new Promise((r) => setTimeout(r, 1_500));
    const baseline = () => h.preflight.redis.hget(createKeySpace(h.prefix).baseline(id), 'errors');
    expect(await baseline()).toBeNull();

    fake.prometheus.set('errors', '0.02');
    const approved = await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    if (!approved.ok) throw approved.error;
    await h.waitFor(id, (d) => d.state === 'monitoring', 30_000);
    const deadline = Date.now() + 10_000;
    while ((await baseline()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await baseline()).toBe('0.02');
  });
});
