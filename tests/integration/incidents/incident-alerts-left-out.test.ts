/**
 * An Alertmanager notification cut to `max_alerts`: `truncatedAlerts` counts the alerts of the group it left out.
 * The incident it opens says so, so whoever is paged knows there are more than the ones listed.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { deployLive, incidentRunbook, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

describe('a webhook with truncatedAlerts', () => {
  it('opens an incident whose title names the alerts Alertmanager left out', async () => {
    const fake = await monitoring.start({ up: '1', errors: '0.01' });
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
    });
    await deployLive(h, 'v1.0.0');
    const webhook = await serveAlertWebhook(h);
    try {
      const answer = await webhook.post({
        ...alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]),
        truncatedAlerts: 4,
      });
      expect(answer.incidents).toHaveLength(1);
      const [incident] = await incidents(h);
      expect(incident?.title).toMatch(/1 firing \(ServiceDown\) and 4 more Alertmanager left out/);
    } finally {
      await webhook.close();
    }
  });
});
