/**
 * A health check whose endpoint hangs, watched by the bot and a worker process on one Redis (the scale-out
 * `preflight worker`): whichever process takes a tick, the hung endpoint holds one request at a time, not one per
 * process, and a tick in either does not ask it again while it holds that one.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { alertPolls, firstHealthTick, hangHealth } from '../../helpers/incident-world.ts';
import { spawnWorker } from '../../helpers/spawn-worker.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('a health check that hangs, ticked by two processes', () => {
  it('is asked once at a time, whichever process ticks', async () => {
    // GET /health may take 10 min to answer; the health and trigger ticks come every second.
    const { h, d, fake } = await world.live({
      runbook: { monitoringTo: '2h', successAt: '1h', webTimeout: '10m' },
    });
    const worker = await spawnWorker(suite.redis.url, join(h.dir, 'runbook.yaml'), h.prefix, h.dir, {
      PROMETHEUS_URL: fake.url,
      ALERTMANAGER_URL: fake.url,
    });
    suite.workers.push(worker);
    await firstHealthTick(h, d.id, 'web');
    await hangHealth(fake);
    // Ten more trigger ticks, shared between the two processes.
    await alertPolls(fake, 10);
    expect(fake.healthHeld).toBe(1);
  });
});
