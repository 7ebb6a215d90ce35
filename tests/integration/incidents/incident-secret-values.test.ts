/**
 * A runbook's own secret value (a `requires.env` variable's value: chat shows it as [REDACTED] by value, nothing in
 * its shape gives it away) in an alert's title and annotations, or in a reason typed for an abort: it reaches neither
 * PagerDuty nor the stored incident, deployment and their audit logs.
 */
import { expect, it } from 'vitest';
import { openIncidentFor } from '../../../src/core/index.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { eventually, incidentRunbook } from '../../helpers/incident-world.ts';
import { readAllRedisText } from '../../helpers/redis-text.ts';

const DB_PASSWORD = 'hunter2-SuperSecretDbPw';

const suite = useEngineSuite();
const fakes = useFakeMonitoring();

it('masks a runbook secret value in what is stored, audited and paged', async () => {
  const monitoring = await fakes.start({ up: '1', errors: '0.01' });
  const h = await suite.start({
    runbook: incidentRunbook(monitoring.url).replace(
      '\nsteps:',
      '\nrequires: { env: [DB_PASSWORD] }\nsteps:',
    ),
    env: { DB_PASSWORD },
    config: {
      PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
      PAGERDUTY_EVENTS_URL: `${monitoring.url}/v2/enqueue`,
    },
  });

  const started = await h.start('v1.0.0', 'ann');
  if (!started.ok) throw started.error;
  const aborted = await h.apply(started.deployment.id, {
    type: 'abort',
    by: 'ann',
    emergency: false,
    reason: `the db password was rotated to ${DB_PASSWORD}`,
  });
  if (!aborted.ok) throw aborted.error;
  const deploymentAudit = JSON.stringify(await h.preflight.engine.store.audit(started.deployment.id));
  expect(deploymentAudit).toContain('rotated to [REDACTED]');
  expect(deploymentAudit).not.toContain(DB_PASSWORD);

  const opened = await openIncidentFor(h.preflight.engine, {
    service: 'svc',
    title: `Critical alerts: 1 firing (login fails since the db password was rotated to ${DB_PASSWORD})`,
    trigger: 'crit',
    openedBy: 'preflight',
    health: `PostgresAuth db pw ${DB_PASSWORD} leaked`,
  });
  if (!opened.ok) throw opened.error;
  expect(opened.incident.title).toContain('rotated to [REDACTED])');
  expect(opened.incident.health).toBe('PostgresAuth db pw [REDACTED] leaked');

  const [page] = await eventually(
    async () => monitoring.pagerduty.received.filter((e) => e.event_action === 'trigger'),
    (t) => t.length > 0,
    20_000,
    'a PagerDuty trigger',
  );
  expect(page?.payload?.summary).toContain('rotated to [REDACTED])');
  expect(JSON.stringify(monitoring.pagerduty.received)).not.toContain(DB_PASSWORD);
  expect(JSON.stringify(await h.preflight.engine.incidents.audit(opened.incident.id))).not.toContain(
    DB_PASSWORD,
  );
  expect(await readAllRedisText(h.preflight.redis)).not.toContain(DB_PASSWORD);
});
