/**
 * The re-check before an escalation page, on a trigger whose Prometheus or Alertmanager hangs (takes the query,
 * never answers): the
 * page is not held until the query's timeout. The trigger counts as last judged, and the page's audit record says so.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/engine-harness.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { HANG } from '../../helpers/fake-monitoring.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import {
  baselineTaken,
  deployLive,
  eventually,
  incidentRunbook,
  incidents,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** What the re-check before the incident's L2 page saw, as its audit record says (undefined before that page). */
async function l2Recheck(h: Harness, id: string): Promise<string | undefined> {
  const audit = await h.preflight.engine.incidents.audit(id);
  const paged = audit.find(
    (e) => e.type === 'incident.paged' && (e.detail as { level?: string }).level === 'L2',
  );
  return paged === undefined ? undefined : String((paged.detail as { recheck?: string }).recheck);
}

describe('the re-check before a page, on a Prometheus that hangs', () => {
  it('pages L2 with the trigger as last judged, and its audit record says so', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.01' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url, { monitoringTo: '2h', successAt: '1h' }),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    const d = await deployLive(h, 'v1.0.0');
    await baselineTaken(h, d.id, 'errors', '0.01');
    fake.prometheus.set('errors', '0.5');
    const [opened] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of errors worse than before',
    );
    expect(opened?.trigger).toBe('errors');
    fake.prometheus.set('errors', HANG);
    const recheck = await eventually(
      () => l2Recheck(h, opened?.id ?? ''),
      (r) => r !== undefined,
      30_000,
      'L2 paged',
    );
    expect(recheck).toMatch(/errors: firing, .*as last judged, no answer within 2s/);
  });
});

describe('the re-check before a page, on an Alertmanager that hangs', () => {
  it('pages L2 with the trigger as last judged, and its audit record says so', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.01' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url, { monitoringTo: '2h', successAt: '1h' }),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    await deployLive(h, 'v1.0.0');
    fake.alerts = [{ alertname: 'ServiceDown', severity: 'critical', service: 'svc' }];
    const [opened] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of the critical alert',
    );
    expect(opened?.trigger).toBe('crit');
    fake.alerts = HANG;
    const recheck = await eventually(
      () => l2Recheck(h, opened?.id ?? ''),
      (r) => r !== undefined,
      30_000,
      'L2 paged',
    );
    expect(recheck).toMatch(/crit: firing, .*as last judged, no answer within 2s/);
  });
});
