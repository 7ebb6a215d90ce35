/**
 * Taking a ✅ off a monitoring task's message: it unticks only what that person ticked. Someone who may not tick
 * the task had nothing counted there, so removing their ✅ changes nothing and is not refused a second time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { type FakeMonitoring, startFakeMonitoring } from '../../helpers/fake-monitoring.ts';
import { deployLive, incidentRunbook } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
let fake: FakeMonitoring | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a ✅ taken off a monitoring task', () => {
  it('from someone who may not tick it changes nothing and is not refused again', async () => {
    fake = await startFakeMonitoring();
    fake.prometheus.set('up', '1');
    fake.prometheus.set('errors', '0.01');
    const h = await suite.start({
      runbook: incidentRunbook(fake.url, { monitoringTo: '30s' }),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    // "Read the logs" is Ann's: Ben's ✅ is refused once; taking it off again says nothing more.
    const tick = await h.apply(d.id, {
      type: 'task.tick',
      window: 0,
      index: 0,
      by: 'ben',
      onMessage: 'task:0:0',
    });
    expect(!tick.ok && tick.error.message).toBe('only Ann can tick "Read the logs"; your ✅ was not counted');
    expect(
      (await h.apply(d.id, { type: 'task.untick', window: 0, index: 0, by: 'ben', onMessage: 'task:0:0' }))
        .ok,
    ).toBe(true);

    // Nor does Ben's removal untick Ann's tick.
    expect(
      (await h.apply(d.id, { type: 'task.tick', window: 0, index: 0, by: 'ann', onMessage: 'task:0:0' })).ok,
    ).toBe(true);
    expect(
      (await h.apply(d.id, { type: 'task.untick', window: 0, index: 0, by: 'ben', onMessage: 'task:0:0' }))
        .ok,
    ).toBe(true);
    expect((await h.get(d.id)).tasksDone?.map((t) => [t.index, t.by])).toEqual([[0, 'ann']]);

    const refusals = (await h.preflight.engine.store.audit(d.id)).filter((r) => r.type === 'access.refused');
    expect(refusals.map((r) => (r.detail as { action?: string }).action)).toEqual(['task.tick']);
  }, 60_000);
});
