/**
 * Alerts of one environment are not another's: with production and staging in the runbook and production being
 * watched, the Alertmanager poll counts only the production deployment's alerts (an alert with no environment label
 * is the default environment's), as the webhook places the same alerts. A staging alert opens no incident for the
 * production deployment, pages no one, and is no failure in its verification, health line or `/deploy status`; the
 * re-check before paging an incident of staging asks about staging's alerts only.
 */
import { describe, expect, it } from 'vitest';
import { expectLeftAlone } from '../../helpers/alert-left-alone.ts';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { alertPolls, eventually, incidents, typeIn } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

const critical = { alertname: 'ServiceDown', severity: 'critical', service: 'svc' };
const STAGING = { ...critical, instance: 'svc-staging:8080', environment: 'staging' };
const UNLABELLED = { ...critical, instance: 'svc-0:8080' };

/** Production watched, staging beside it; `alerts` fire from the start. */
const live = (alerts: Record<string, string>[]) =>
  world.live({
    alerts,
    runbook: { environments: 'production: { default: true }, staging: {}', alertCheck: true },
  });

describe('a staging alert while production is watched', () => {
  it('is not production’s: no incident, no page, no failure in its verification, health line or status', async () => {
    const { h, d, fake, post } = await live([STAGING]);
    expect(d.environment).toBe('production');
    await expectLeftAlone(h, fake, d.id);
    const status = await typeIn(h, 'ann', `/deploy status ${d.id}`);
    expect(status.split('\n')[0]).toBe(`${d.id}: svc v1.0.0 → production, being monitored`);
    expect(status).not.toMatch(/decision|rollback|ServiceDown/);

    // The webhook puts the same alert in staging too: an incident of the service there, not of the deployment.
    const answer = await post(
      alertPayload('ServiceDown', [
        { name: 'ServiceDown', fingerprint: 'f0', labels: { environment: 'staging' } },
      ]),
    );
    expect(answer.incidents).toHaveLength(1);
    await alertPolls(fake, 6);
    const all = await incidents(h);
    expect(all.map((i) => [i.environment, i.deploymentId])).toEqual([['staging', undefined]]);
  }, 60_000);
});

describe('an alert with no environment label', () => {
  it('is the default environment’s: the poll opens production’s incident with it alone, naming what it left out', async () => {
    const { h, d, fake } = await live([]);
    fake.alerts = [STAGING, UNLABELLED];
    const [opened] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the unlabelled alert',
    );
    expect(opened).toMatchObject({ deploymentId: d.id, environment: 'production', trigger: 'crit' });
    expect(opened?.alerts).toEqual(['f1@2025-03-01T10:00:12.345Z']);
    expect(opened?.title).toBe(
      'Critical alerts: 1 firing alert matches severity=critical, service=svc in production: ServiceDown (svc-0:8080); not counted: 1 in staging, after svc-1 (v1.0.0)',
    );
    await alertPolls(fake, 6);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);
});

describe('the re-check before paging an incident of staging', () => {
  it('clears when staging’s alert stopped, though production has one firing', async () => {
    const { h, fake, post } = await live([]);
    const staging = { name: 'ServiceDown', fingerprint: 'f0', labels: { environment: 'staging' } };
    const [id = ''] = (await post(alertPayload('ServiceDown', [staging]))).incidents;
    expect((await h.preflight.engine.incidents.get(id))?.environment).toBe('staging');
    // Staging's alert is gone from Alertmanager (its 'resolved' not sent); production has one of its own.
    fake.alerts = [{ ...critical, instance: 'svc-0:8080', environment: 'production' }];
    const cleared = await eventually(
      () => h.preflight.engine.incidents.get(id),
      (i) => i?.cleared !== undefined || (i?.pages.length ?? 0) > 1,
      20_000,
      'the re-check before the second page',
    );
    expect(cleared?.pages.map((p) => p.levelId)).toEqual(['L1']);
    expect(cleared?.cleared?.detail).toContain('in staging');
  }, 60_000);
});
