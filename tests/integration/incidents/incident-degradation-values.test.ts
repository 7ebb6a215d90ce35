/**
 * The special floats Prometheus sends to a `worse_than_baseline` trigger: NaN (0/0, no traffic) cannot be judged and
 * opens nothing; +Inf (a histogram_quantile past the last bucket) is as bad as latency gets, and fires.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../../src/core/index.ts';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  baselineTaken,
  deployLive,
  deploymentNotes,
  eventually,
  incidentRunbook,
  incidents,
  triggerVerdict,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** The errors trigger's last verdict. */
const errorsVerdict = async (h: Harness, id: string): Promise<string> =>
  (await triggerVerdict(h, id, 'errors'))?.detail ?? '';

describe('a degradation trigger reading special floats', () => {
  it('opens nothing on NaN, and an incident on +Inf', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.2' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    await baselineTaken(h, d.id, 'errors', '0.2');
    fake.prometheus.set('errors', 'NaN');
    await eventually(
      async () => errorsVerdict(h, d.id),
      (v) => v.includes('NaN'),
      20_000,
      'a verdict on NaN',
    );
    expect(await incidents(h)).toEqual([]);

    fake.prometheus.set('errors', '+Inf');
    const opened = await eventually(
      async () => incidents(h),
      (list) => list.length > 0,
      20_000,
      'the incident',
    );
    expect(opened[0]?.title).toMatch(/errors = \+Inf/);
  });
});

describe('a degradation trigger whose query answers NaN before the deploy', () => {
  it('has no baseline, and the thread says the query answered NaN', async () => {
    const fake = await monitoring.start({ up: '1', errors: 'NaN' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    const notes = await eventually(
      async () =>
        deploymentNotes(h, d.id, 'baseline-missing:errors').map((n) =>
          plainLiterals((n.effect.topic as { text: string }).text),
        ),
      (n) => n.length > 0,
      20_000,
      'the missing-baseline note',
    );
    expect(notes[0]).toMatch(/No baseline for the trigger Errors worse than before: errors answered NaN\./);
  });
});
