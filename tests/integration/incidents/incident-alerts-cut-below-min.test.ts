/**
 * An Alertmanager notification cut to `max_alerts` that lists fewer alerts than a trigger's `min`, for a service no
 * deployment watches (nothing polls Alertmanager for it): the alerts it left out may reach the minimum, so the
 * webhook cannot tell it is quiet. It opens the incident, saying the list was cut, rather than saying nothing; the
 * re-check before the next page asks Alertmanager for the whole count and clears it when it is below.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { eventually, incidentRunbook, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** A service whose alert trigger needs 3 alerts, with no deployment, and its webhook. */
async function world() {
  const fake = await monitoring.start({ up: '1', errors: '0.01' });
  const h = await suite.start({
    runbook: incidentRunbook(fake.url, { alertMin: 3 }),
    config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
  });
  return { fake, h, webhook: await serveAlertWebhook(h) };
}

/** One ServiceDown alert listed, `truncatedAlerts` more left out. */
const postCut = (webhook: Awaited<ReturnType<typeof serveAlertWebhook>>, truncatedAlerts: number) =>
  webhook.post({
    ...alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]),
    truncatedAlerts,
  });

describe('a webhook cut below a trigger’s min, no deployment watching', () => {
  it('opens an incident that says the list was cut and could reach the minimum', async () => {
    const { fake, h, webhook } = await world();
    try {
      const answer = await postCut(webhook, 4);
      expect(answer.incidents).toHaveLength(1);
      const [incident] = await incidents(h);
      expect(incident?.title).toMatch(/1 firing \(ServiceDown\) and 4 more Alertmanager left out/);
      expect(incident?.title).toMatch(/min 3/);
      // Alertmanager lists the one alert only: the re-check before L2's page finds it below the minimum.
      fake.alerts = [{ alertname: 'ServiceDown', severity: 'critical', service: 'svc' }];
      const audit = await eventually(
        () => h.preflight.engine.incidents.audit(incident?.id ?? ''),
        (a) =>
          a.some(
            (e) =>
              e.type === 'incident.cleared' ||
              (e.type === 'incident.paged' && (e.detail as { level?: string }).level === 'L2'),
          ),
        30_000,
        'the re-check before L2',
      );
      expect(audit.some((e) => e.type === 'incident.cleared')).toBe(true);
    } finally {
      await webhook.close();
    }
  });

  it('still opens nothing when even the alerts left out could not reach the minimum', async () => {
    const { h, webhook } = await world();
    try {
      const answer = await postCut(webhook, 1);
      expect(answer.incidents).toHaveLength(0);
      expect(await incidents(h)).toHaveLength(0);
    } finally {
      await webhook.close();
    }
  });
});
