/**
 * A firing alert that carries a trigger's labels (the seed's `match: { severity: critical }`) but names no service
 * (no `service` nor `job` label): Preflight cannot tell whose it is, so it opens nothing, and it is not silent about
 * it either: the answer names it as left out and why (what /metrics counts as `left_out`), so the operator can fix
 * the alert rule. An alert that names another service stays another's, as before.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { useAlertWorld } from '../../helpers/alert-world.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const world = useAlertWorld(suite);

/** A webhook whose alerts have no service or job label. */
function withoutService(payload: ReturnType<typeof alertPayload>) {
  for (const alert of payload.alerts) {
    const labels = alert.labels as Record<string, string>;
    delete labels.service;
    delete labels.job;
  }
  return payload;
}

describe('a critical alert that names no service', () => {
  it('opens nothing, and the answer says it was left out and why', async () => {
    const { h, post } = await world.live({ runbook: { alertMatch: '{ severity: critical }' } });
    const answer = await post(
      withoutService(alertPayload('HighErrorRate', [{ name: 'HighErrorRate', fingerprint: 'n1' }])),
    );
    expect(answer).toMatchObject({ matched: 0, incidents: [] });
    expect(answer.ignored).toEqual([
      'HighErrorRate: it has no service or job label, so Preflight cannot tell which service it is about; add a service label to its alert rule',
    ]);
    expect(await incidents(h)).toEqual([]);
  });

  it('one that names another service is still not counted, nor named', async () => {
    const { h, post } = await world.live({ runbook: { alertMatch: '{ severity: critical }' } });
    const answer = await post(
      alertPayload('DbDown', [{ name: 'DbDown', fingerprint: 'd1', labels: { service: 'db', job: 'db' } }]),
    );
    expect(answer).toEqual({ matched: 0, incidents: [] });
    expect(await incidents(h)).toEqual([]);
  });
});
