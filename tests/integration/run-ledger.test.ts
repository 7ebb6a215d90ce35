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
  const release = ledger.hold(job);
  await new Promise((resolve) => setImmediate(resolve));
  // A second worker finding the job's third chained step running must wait, not call it interrupted.
  expect(await ledger.isHeld(job)).toBe(true);
  expect(await ledger.isHeld(`${job}+3`)).toBe(true);
  expect(await ledger.isHeld('st~shop-2~deploy~backup~1~r4+3')).toBe(false);
  await release();
  expect(await ledger.isHeld(`${job}+3`)).toBe(false);

  // A run's own lease still counts (one held by a worker of an earlier version, during a rolling upgrade).
  const releaseOwn = ledger.hold(`${job}+5`);
  await new Promise((resolve) => setImmediate(resolve));
  expect(await ledger.isHeld(`${job}+5`)).toBe(true);
  expect(await ledger.isHeld(`${job}+6`)).toBe(false);
  await releaseOwn();
  expect(await ledger.isHeld(`${job}+5`)).toBe(false);
});

it('writes the lease once the turn that asked for it is done, so a step started in that turn does not wait on Redis', async () => {
  const ledger = createRunLedger({ redis, prefix: createTestPrefix(), leaseMs: 400 });
  const run = 'now-0f1e2d3c';
  const release = ledger.hold(run);
  // Read in the same turn, on the same connection: Redis answers in the order it was asked.
  const inTheSameTurn = ledger.isHeld(run);
  await new Promise((resolve) => setImmediate(resolve));
  expect([await inTheSameTurn, await ledger.isHeld(run)]).toEqual([false, true]);
  await release();
  expect(await ledger.isHeld(run)).toBe(false);
});

it('lets go of a lease released before its first write, and writes none', async () => {
  const ledger = createRunLedger({ redis, prefix: createTestPrefix(), leaseMs: 400 });
  const release = ledger.hold('now-released-at-once');
  await release();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await ledger.isHeld('now-released-at-once')).toBe(false);
});
