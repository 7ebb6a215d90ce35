/** The run ledger's lease, as recovery reads it: a job's lease covers the steps it chains. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunLedger } from '../../src/jobs/run-ledger.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

it('holds one lease for a job and the runs it chains, until it is let go or runs out', async () => {
  const ledger = createRunLedger({ redis, prefix: createTestPrefix(), leaseMs: 400 });
  const job = 'st~shop-1~deploy~backup~1~r4';
  // hold() sends its first SET at once, ahead of the reads below on the same connection.
  const release = ledger.hold(job);
  // A second worker finding the job's third chained step running must wait, not call it interrupted.
  expect(await ledger.isHeld(job)).toBe(true);
  expect(await ledger.isHeld(`${job}+3`)).toBe(true);
  expect(await ledger.isHeld('st~shop-2~deploy~backup~1~r4+3')).toBe(false);
  await release();
  expect(await ledger.isHeld(`${job}+3`)).toBe(false);

  // A run's own lease still counts (one held by a worker of an earlier version, during a rolling upgrade).
  const releaseOwn = ledger.hold(`${job}+5`);
  expect(await ledger.isHeld(`${job}+5`)).toBe(true);
  expect(await ledger.isHeld(`${job}+6`)).toBe(false);
  await releaseOwn();
  expect(await ledger.isHeld(`${job}+5`)).toBe(false);
});
