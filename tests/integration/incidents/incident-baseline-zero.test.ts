/**
 * A `worse_than_baseline` trigger whose pre-deploy baseline is 0: any percentage of zero is zero, so 0 → 0.0001 is
 * no degradation to page about. It says so in the deployment's thread and compares with `min_baseline` when the
 * runbook sets one.
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

const noteTexts = (h: Harness, id: string, prefix: string) =>
  deploymentNotes(h, id, prefix).map((n) => plainLiterals((n.effect.topic as { text: string }).text));

describe('a degradation trigger whose baseline is 0', () => {
  it('does not fire on 0 → 0.0001 and says that a percentage of zero cannot be judged', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    await baselineTaken(h, d.id, 'errors', '0');

    fake.prometheus.set('errors', '0.0001');
    await eventually(
      async () => errorsVerdict(h, d.id),
      (v) => v.includes('0.0001'),
      20_000,
      'a verdict on 0.0001',
    );
    expect(await incidents(h)).toEqual([]);
    expect(await errorsVerdict(h, d.id)).toMatch(/baseline 0: a percentage of it means nothing/);
    const notes = noteTexts(h, d.id, 'baseline-zero:errors');
    expect(notes[0]).toMatch(/baseline of errors is 0: .*set min_baseline/);
  });

  it('with min_baseline, compares with it: quiet on a blip, an incident above it by the percentage', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0' });
    const runbook = incidentRunbook(fake.url).replace(
      'worse_than_baseline: 50% }',
      'worse_than_baseline: 50%, min_baseline: 0.01 }',
    );
    const h = await suite.start({
      runbook,
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    fake.prometheus.set('errors', '0.0001');
    await eventually(
      async () => errorsVerdict(h, d.id),
      (v) => v.includes('0.0001'),
      20_000,
      'a verdict on 0.0001',
    );
    expect(await incidents(h)).toEqual([]);

    fake.prometheus.set('errors', '0.02');
    const opened = await eventually(
      async () => incidents(h),
      (list) => list.length > 0,
      20_000,
      'the incident',
    );
    expect(opened[0]?.title).toMatch(/errors = 0\.02.*limit 0\.015/);
    // The Measured line names the baseline measured (0), not the floor that stood in for it.
    expect(opened[0]?.measured?.baseline).toBe(0);
  });

  it('with min_baseline and no baseline measured, compares with it and says so', async () => {
    const fake = await monitoring.start({ up: '1' });
    const runbook = incidentRunbook(fake.url).replace(
      'worse_than_baseline: 50% }',
      'worse_than_baseline: 50%, min_baseline: 0.01 }',
    );
    const h = await suite.start({
      runbook,
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    const notes = await eventually(
      async () => noteTexts(h, d.id, 'baseline-missing:errors'),
      (n) => n.length > 0,
      20_000,
      'the missing-baseline note',
    );
    expect(notes[0]).toMatch(/compared with min_baseline 0\.01/);
    fake.prometheus.set('errors', '0.02');
    const opened = await eventually(
      async () => incidents(h),
      (list) => list.length > 0,
      20_000,
      'the incident',
    );
    expect(opened[0]?.title).toMatch(/errors = 0\.02.*limit 0\.015/);
  });
});
