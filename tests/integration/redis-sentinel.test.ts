import { beforeAll, describe, expect, it } from 'vitest';
import { readRedisTopology } from '../../src/infra/redis/redis-topology.ts';
import type { Harness } from '../helpers/engine-harness.ts';
import { type SentinelSet, startSentinelSet } from '../helpers/redis-ha.ts';
import { must, startPastChecklist, useSandboxHarness } from '../helpers/sandbox-engine.ts';

const suite = useSandboxHarness(startSentinelSet, {
  // Production-like leases: a failover of a few seconds must not look like a dead worker.
  tuning: { lockDurationMs: 15_000, stalledIntervalMs: 5_000, leaseMs: 10_000, reconcileEveryMs: 2_000 },
  startMs: 120_000,
});
let h: Harness;
let sentinels: SentinelSet;
beforeAll(() => {
  ({ h, redis: sentinels } = suite);
});

describe('Preflight on Redis Sentinel (primary, replica, three sentinels)', () => {
  it('finishes a deployment when the primary dies right after an approval and during a step', async () => {
    const id = await startPastChecklist(h, 30_000);
    await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'bob' }));
    await must(h.apply(id, { type: 'gate.approve', gate: 'operations', by: 'carol' }));
    // The backup runs on the operations gate alone; the migration waits for security.
    await h.waitFor(id, (d) => d.steps[0]?.status === 'succeeded', 30_000);

    await must(h.apply(id, { type: 'gate.approve', gate: 'security', by: 'dave' }));
    // Confirmed: now the migration (not idempotent) starts, and the primary dies under it.
    await h.waitFor(id, (d) => d.steps[1]?.status === 'running', 30_000);
    const oldPrimary = await sentinels.primaryPort();
    const topology = () => readRedisTopology(h.preflight.redis, h.preflight.connector.target);
    // The replica may still be finishing its first sync: wait for the primary to list it.
    const expected = {
      ok: true,
      mode: 'sentinel',
      summary: `sentinel "preflight": primary 127.0.0.1:${oldPrimary}, 1 replica`,
    };
    for (let tries = 0; tries < 100; tries++) {
      if (JSON.stringify(await topology()) === JSON.stringify(expected)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await topology()).toEqual(expected);
    await sentinels.kill(oldPrimary);
    const newPrimary = await sentinels.waitForFailover(oldPrimary);
    expect(newPrimary).not.toBe(oldPrimary);

    const d = await h.waitFor(
      id,
      (x) => ['monitoring', 'failed', 'needs_decision', 'rolled_back'].includes(x.state),
      90_000,
    );
    expect(d.state).toBe('monitoring');
    // The promoted replica holds Preflight's data: the failover is not taken for a Redis that lost it.
    expect(await h.preflight.redisData.check()).toBeUndefined();
    // /readyz's view: the bot followed the sentinels to the promoted replica, which has no replica of its own.
    expect((await topology()).summary).toBe(
      `sentinel "preflight": primary 127.0.0.1:${newPrimary}, 0 replicas`,
    );
    expect(d.gates.find((g) => g.id === 'security')?.approvals.map((a) => a.by)).toEqual(['dave']);
    expect(d.steps.map((s) => [s.id, s.status, s.attempt])).toEqual([
      ['backup', 'succeeded', 1],
      ['migrate', 'succeeded', 1],
      ['deploy', 'succeeded', 1],
      ['smoke', 'succeeded', 1],
    ]);
    const audit = (await h.preflight.engine.store.audit(id)).map((r) => r.type);
    expect(audit.filter((t) => t === 'deployment.authorized')).toHaveLength(1);
    await must(h.apply(id, { type: 'abort', by: 'alice', emergency: false, reason: 'end of test' }));
  }, 200_000);
});
