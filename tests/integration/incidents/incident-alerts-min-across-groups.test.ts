/**
 * A trigger that needs 2 critical alerts, for a service no deployment watches (nothing polls Alertmanager for it),
 * while Alertmanager's group_by sends each alert in a notification of its own: the two firing at once reach the
 * minimum, and the incident opens naming both, rather than each notification alone being below it and nothing
 * said. One that resolved before the other fired does not count.
 */
import { describe, expect, it } from 'vitest';
import { alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { useFakeMonitoring } from '../../helpers/fake-monitoring-suite.ts';
import { incidentRunbook, incidents } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
const monitoring = useFakeMonitoring();

/** A service whose alert trigger needs 2 alerts, with no deployment, and its webhook. */
async function world() {
  const fake = await monitoring.start({ up: '1', errors: '0.01' });
  const h = await suite.start({
    runbook: incidentRunbook(fake.url, { alertMin: 2 }),
    config: { PROMETHEUS_URL: fake.url, ALERTMANAGER_URL: fake.url },
  });
  return { h, webhook: await serveAlertWebhook(h) };
}

const DOWN = { name: 'ServiceDown', fingerprint: 'a1' };
const SLOW = { name: 'HighLatency', fingerprint: 'b1' };

describe('a trigger’s min reached by alerts of separate notifications', () => {
  it('opens one incident naming both', async () => {
    const { h, webhook } = await world();
    try {
      expect((await webhook.post(alertPayload('ServiceDown', [DOWN]))).incidents).toEqual([]);
      const second = await webhook.post(alertPayload('HighLatency', [SLOW]));
      expect(second.incidents).toHaveLength(1);
      const [incident] = await incidents(h);
      expect(incident?.title).toBe('Critical alerts: 2 firing (HighLatency, ServiceDown)');
      // Alertmanager sends both groups again: counted once, nothing more opens.
      await webhook.post(alertPayload('ServiceDown', [DOWN]));
      await webhook.post(alertPayload('HighLatency', [SLOW]));
      expect(await incidents(h)).toHaveLength(1);
    } finally {
      await webhook.close();
    }
  });

  it('does not count an alert that resolved before the other fired', async () => {
    const { h, webhook } = await world();
    try {
      await webhook.post(alertPayload('ServiceDown', [DOWN]));
      await webhook.post(alertPayload('ServiceDown', [{ ...DOWN, status: 'resolved' }]));
      expect((await webhook.post(alertPayload('HighLatency', [SLOW]))).incidents).toEqual([]);
      expect(await incidents(h)).toEqual([]);
    } finally {
      await webhook.close();
    }
  });
});
