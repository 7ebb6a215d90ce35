/** Cancelling a deployment's steps stops the ones started before the cancelling commit, in every process. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepCancellation, type StepCancellation } from '../../src/jobs/step-cancellation.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
const connections: Redis[] = [];
const connect = () => {
  const c = new Redis(redis.url);
  connections.push(c);
  return c;
};
const open = (prefix: string): Promise<StepCancellation> =>
  createStepCancellation({ publisher: connect(), subscriber: connect(), prefix });

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await redis.stop();
});

const aborted = (signal: AbortSignal, ms = 2_000) =>
  new Promise<boolean>((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('step cancellation', () => {
  it('stops steps started before the cancelling commit, here and in another process, and spares later ones', async () => {
    const prefix = createTestPrefix();
    const here = await open(prefix);
    const there = await open(prefix);
    const deployStep = there.register('shop-1', 4);
    const rollbackStep = there.register('shop-1', 9);
    const localDeployStep = here.register('shop-1', 5);
    const otherDeployment = there.register('shop-2', 3);
    await here.cancel('shop-1', 'rolling back', 7);
    expect(await aborted(deployStep.signal)).toBe(true);
    expect(await aborted(localDeployStep.signal)).toBe(true);
    expect(String(deployStep.signal.reason)).toContain('rolling back');
    expect(await aborted(rollbackStep.signal, 500)).toBe(false);
    expect(await aborted(otherDeployment.signal, 200)).toBe(false);
    // A cancellation that names no commit stops them all.
    await here.cancel('shop-1', 'aborted');
    expect(await aborted(rollbackStep.signal)).toBe(true);
    for (const c of [here, there]) await c.close();
  });
});
