/**
 * /readyz's Redis check writes as well as reads: a primary that answers ROLE but refuses every write (the README's
 * `min-replicas-to-write 1` with its replica gone, as after each failover with one replica) is not ready.
 */
import { afterEach, expect, it } from 'vitest';
import { readRedisTopology } from '../../src/infra/redis/redis-topology.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';

const redis = useTestRedisClient();
const target = { mode: 'standalone' as const, url: 'redis://test' };
const probe = '{pf}:seen:readyz-write';

afterEach(async () => {
  await redis.client().config('SET', 'min-replicas-to-write', '0');
});

it('is ready when the primary takes a write', async () => {
  const topology = await readRedisTopology(redis.client(), target, 2_000, probe);
  expect(topology.ok).toBe(true);
  expect(topology.summary).toMatch(/^standalone: primary 127\.0\.0\.1:\d+, 0 replicas$/);
  expect(Number(await redis.client().get(probe))).toBeGreaterThan(0);
});

it('is not ready while the primary refuses writes, and says why', async () => {
  await redis.client().config('SET', 'min-replicas-to-write', '1');
  const topology = await readRedisTopology(redis.client(), target, 2_000, probe);
  expect(topology.ok).toBe(false);
  expect(topology.summary).toMatch(
    /^standalone: primary 127\.0\.0\.1:\d+, 0 replicas; writes refused \(NOREPLICAS/,
  );
  // Without the write probe, ROLE alone would have called it ready.
  expect((await readRedisTopology(redis.client(), target)).ok).toBe(true);
});
