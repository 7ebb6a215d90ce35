/**
 * Alerts of one service are not another's: with the seed's `match: { severity: critical }` (no service named) and
 * svc being watched, the Alertmanager poll counts an alert only when its `service` or `job` label is svc, as the
 * webhook counts the same alerts. Another service's critical alert opens no incident for svc's deployment, pages no
 * one, is no failure in its verification or health line, and does not keep an incident of svc paging.
 */
import { describe, expect, it } from 'vitest';
import { expectLeftAlone } from '../../helpers/alert-left-alone.ts';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { eventually, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

const DB_DOWN = { alertname: 'DbDown', severity: 'critical', service: 'db', job: 'db' };

/** svc watched with the seed's match; `alerts` fire from the start. */
const live = (alerts: Record<string, string>[]) =>
  world.live({ alerts, runbook: { alertCheck: true, alertMatch: '{ severity: critical }' } });

describe('another service’s critical alert while svc is watched', () => {
  it('is not svc’s: no incident, no page, no failure in its verification or health line, as the webhook says', async () => {
    const { h, d, fake, post } = await live([DB_DOWN]);
    await expectLeftAlone(h, fake, d.id);

    const answer = await post(
      alertPayload('DbDown', [{ name: 'DbDown', fingerprint: 'db0', labels: { service: 'db', job: 'db' } }]),
    );
    expect(answer).toEqual({ matched: 0, incidents: [] });
  }, 60_000);
});

describe('svc’s own critical alert', () => {
  it.each([
    ['service', { service: 'svc' }],
    ['job', { job: 'svc' }],
  ])(
    'named by its %s label opens the deployment’s incident with it alone, naming what it left out',
    async (_, labels) => {
      const { h, d, fake } = await live([]);
      fake.alerts = [DB_DOWN, { alertname: 'SvcDown', severity: 'critical', ...labels }];
      const [opened] = await eventually(
        () => incidents(h),
        (all) => all.length > 0,
        20_000,
        'the incident of svc’s alert',
      );
      expect(opened).toMatchObject({ deploymentId: d.id, trigger: 'crit' });
      expect(opened?.alerts).toEqual(['f1@2025-03-01T10:00:12.345Z']);
      expect(opened?.title).toBe(
        'Critical alerts: 1 firing alert matches severity=critical in production: SvcDown; not counted: 1 of db, after svc-1 (v1.0.0)',
      );
    },
    60_000,
  );
});

describe('the re-check before paging an incident of svc', () => {
  it('clears when svc’s alert stopped, though another service has one firing', async () => {
    const { h, fake, post } = await live([]);
    const [id = ''] = (await post(alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 's0' }])))
      .incidents;
    expect(id).not.toBe('');
    // svc's alert is gone from Alertmanager (its 'resolved' not sent); db has one of its own.
    fake.alerts = [DB_DOWN];
    const cleared = await eventually(
      () => h.preflight.engine.incidents.get(id),
      (i) => i?.cleared !== undefined || (i?.pages.length ?? 0) > 1,
      20_000,
      'the re-check before the second page',
    );
    expect(cleared?.pages.map((p) => p.levelId)).toEqual(['L1']);
    expect(cleared?.cleared?.detail).toContain('not counted: 1 of db');
  }, 60_000);
});
