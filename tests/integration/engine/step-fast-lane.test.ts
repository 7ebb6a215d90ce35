/** A step starts as soon as the change that asks for it is committed, without waiting for the outbox relay. */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createKeySpace } from '../../../src/core/index.ts';
import { engineRunbook, LOG_RUN } from '../../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { createTestPrefix } from '../../helpers/redis-server.ts';

const suite = useEngineSuite();

describe('the step fast lane', () => {
  it('runs every step of a deployment while no process can lead the outbox relay', async () => {
    const prefix = createTestPrefix();
    // Another (stuck) process holds the relay's leadership: nothing here delivers from the outbox.
    const redis = new Redis(suite.redis.url);
    await redis.set(createKeySpace(prefix).relayLeader, 'a-stuck-process', 'PX', 120_000);
    redis.disconnect();
    const steps = [1, 2, 3]
      .map((n) => `    - { id: s${n}, title: Step ${n}, ${n === 1 ? 'needs: [go], ' : ''}run: '${LOG_RUN}' }`)
      .join('\n');
    const h = await suite.start({ runbook: engineRunbook(steps), prefix });
    const started = await h.start('v1.0.0');
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    await h.apply(id, { type: 'gate.approve', gate: 'go', by: 'ben' });
    const done = await h.waitFor(id, (d) => d.state === 'succeeded', 20_000);
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await h.runs()).toEqual([`${id} s1 1`, `${id} s2 1`, `${id} s3 1`]);
  });
});
