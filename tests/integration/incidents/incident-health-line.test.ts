/**
 * The Health line of an incident a trigger opens shows the health that fired it, not the last health tick's: an
 * alertmanager trigger asks Alertmanager now, while the monitoring period probes its checks once an hour here.
 */
import { describe, expect, it } from 'vitest';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { HANG } from '../../helpers/fake-monitoring.ts';
import { eventually, firstHealthTick, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('an incident a trigger opens', () => {
  it('shows in its Health line the critical alert that fired it, not the healthy tick before', async () => {
    const { h, d, fake } = await world.live({
      runbook: { alertCheck: true, every: '1h', monitoringTo: '2h' },
    });
    // The period's first tick saw no alert: the health log says so.
    await firstHealthTick(h, d.id, 'alerts');
    fake.alerts = [{ alertname: 'SvcDown', severity: 'critical', service: 'svc' }];
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of the critical alert',
    );
    expect(incident?.trigger).toBe('crit');
    expect(incident?.health).toMatch(/alerts FAILING \(.*SvcDown/);
    expect(incident?.health).toContain('web ok');
  });

  it('is not held up by a check that does not answer: that one is shown as last seen', async () => {
    const { h, d, fake } = await world.live({
      runbook: { alertCheck: true, every: '1h', monitoringTo: '2h', upTimeout: '2m' },
    });
    await firstHealthTick(h, d.id, 'up');
    // Prometheus hangs on the query of the up check (which may wait 2 minutes for it).
    fake.prometheus.set('up', HANG);
    fake.alerts = [{ alertname: 'SvcDown', severity: 'critical', service: 'svc' }];
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of the critical alert, while /health hangs',
    );
    expect(incident?.health).toMatch(/alerts FAILING \(.*SvcDown/);
    expect(incident?.health).toContain('up ok');
  });
});
