/**
 * A health check whose endpoint hangs (takes the request, never answers) holds back only its own result: a
 * critical alert polled meanwhile opens its incident at the triggers' cadence, not when the hung check times out,
 * and later ticks do not ask the hung endpoint again while it still holds the first request. So does a trigger's
 * Prometheus query that hangs (until the prober's 10 s deadline).
 */
import { describe, expect, it } from 'vitest';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { HANG } from '../../helpers/fake-monitoring.ts';
import {
  alertPolls,
  eventually,
  firstHealthTick,
  hangHealth,
  incidents,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

describe('a health check that hangs', () => {
  it('does not hold back the incident of an alert, nor is it asked again while it hangs', async () => {
    // GET /health may take 30 s to answer; its trigger and the health ticks probe it every second.
    const { h, d, fake } = await world.live({
      runbook: { alertCheck: true, monitoringTo: '2h', successAt: '1h', webTimeout: '30s' },
    });
    await firstHealthTick(h, d.id, 'web');
    await hangHealth(fake);
    fake.alerts = [{ alertname: 'SvcDown', severity: 'critical', service: 'svc' }];
    // Well before the hung probe's 30 s are over.
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      10_000,
      'the incident of the critical alert, while /health hangs',
    );
    expect(incident?.trigger).toBe('crit');
    expect(incident?.health).toMatch(/alerts FAILING \(.*SvcDown/);
    // Three more trigger ticks later, /health still holds the one request it was sent.
    await alertPolls(fake, 3);
    expect(fake.healthHeld).toBe(1);
  });

  it('nor does a trigger whose Prometheus query hangs hold back the alert trigger', async () => {
    const { h, fake } = await world.live({ runbook: { monitoringTo: '2h', successAt: '1h' } });
    // The errors trigger's baseline was measured at the start; its query now hangs for the 10 s it may wait.
    fake.prometheus.set('errors', HANG);
    fake.alerts = [{ alertname: 'SvcDown', severity: 'critical', service: 'svc' }];
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      7_000,
      'the incident of the critical alert, while the errors query hangs',
    );
    expect(incident?.trigger).toBe('crit');
  });

  it('is failing once its timeout ends, and its trigger fires as before', async () => {
    const { h, d, fake } = await world.live({
      runbook: { monitoringTo: '2h', successAt: '1h', webTimeout: '3s' },
    });
    await firstHealthTick(h, d.id, 'web');
    fake.health = HANG;
    const [incident] = await eventually(
      () => incidents(h),
      (l) => l.length === 1,
      20_000,
      'the incident of /health failing',
    );
    expect(incident?.trigger).toBe('web-down');
    expect(incident?.title).toContain('web (timed out after 3s) failing for');
  });
});
