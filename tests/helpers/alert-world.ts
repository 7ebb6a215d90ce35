/**
 * svc deployed and watched against the fake monitoring server, its Alertmanager polled (unless told otherwise) and
 * the real Alertmanager webhook served: the set-up of the alert incident tests, closed after each test.
 */
import { afterEach } from 'vitest';
import { type AlertWebhook, serveAlertWebhook } from './alert-webhook.ts';
import type { EngineSuite } from './engine-suite.ts';
import { type FakeMonitoring, startFakeMonitoring } from './fake-monitoring.ts';
import { deployLive, incidentRunbook } from './incident-world.ts';

export interface AlertWorldOptions {
  /** Alerts the fake Alertmanager lists from the start. */
  readonly alerts?: Record<string, string>[];
  /** Whether the bot is given ALERTMANAGER_URL, to poll and re-check (default: yes). */
  readonly alertmanager?: boolean;
  /** What `incidentRunbook` is given besides the server's URL. */
  readonly runbook?: Parameters<typeof incidentRunbook>[1];
}

/** Registers the clean-up; `live()` starts a world for one test. */
export function useAlertWorld(suite: EngineSuite) {
  let fake: FakeMonitoring | undefined;
  let webhook: AlertWebhook | undefined;
  afterEach(async () => {
    await webhook?.close();
    await fake?.close();
    webhook = undefined;
    fake = undefined;
  });
  return {
    async live(options: AlertWorldOptions = {}) {
      const monitoring = await startFakeMonitoring();
      fake = monitoring;
      monitoring.prometheus.set('up', '1');
      monitoring.prometheus.set('errors', '0.01');
      if (options.alerts) monitoring.alerts = options.alerts;
      const h = await suite.start({
        runbook: incidentRunbook(monitoring.url, options.runbook),
        config: {
          PROMETHEUS_URL: monitoring.url,
          ...(options.alertmanager !== false && { ALERTMANAGER_URL: monitoring.url }),
        },
      });
      const d = await deployLive(h, 'v1.0.0');
      webhook = await serveAlertWebhook(h);
      return { h, d, fake: monitoring, post: webhook.post };
    },
  };
}
