/** Refused `/deploy start` attempts leave the id sequence alone: the next deployment gets the next number. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/engine-harness.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.ts';

let redis: TestRedis;
let h: Harness;
beforeAll(async () => {
  redis = await startTestRedis();
  h = await startHarness({
    runbook: engineRunbook(`    - { id: one, title: One, needs: [go], run: 'true' }`),
    redisUrl: redis.url,
    work: false,
  });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

describe('deployment ids', () => {
  it('are used up only by deployments that start', async () => {
    const first = await h.start('v1.0.0');
    if (!first.ok) throw first.error;
    expect(first.deployment.id).toBe('svc-1');
    for (const version of ['1.0', 'v2', '"v1.2.3"']) {
      const refused = await h.start(version);
      expect(refused.ok && refused.deployment.id).toBe(false);
    }
    const busy = await h.start('v1.0.1'); // svc production is busy with svc-1
    expect(busy.ok || busy.error.message).toMatch(/^svc production is busy with deployment svc-1/);
    const staging = await h.start('v1.0.1', 'ann', 'staging');
    if (!staging.ok) throw staging.error;
    expect(staging.deployment.id).toBe('svc-2');
    expect(await h.preflight.engine.store.get('svc-3')).toBeUndefined();
  });
});
