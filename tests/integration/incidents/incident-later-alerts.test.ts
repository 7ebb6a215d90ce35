/**
 * Alerts that reach an incident a health check opened, through the real webhook: each new alert is a cause of it,
 * said once in its thread (the second one too, not only the first), and a re-send of either adds nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertWebhook, alertPayload, serveAlertWebhook } from '../../helpers/alert-webhook.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { type FakeMonitoring, startFakeMonitoring } from '../../helpers/fake-monitoring.ts';
import {
  deployLive,
  eventually,
  incidentNotes,
  incidentRunbook,
  incidents,
} from '../../helpers/incident-world.ts';

const suite = useEngineSuite();
let fake: FakeMonitoring | undefined;
let webhook: AlertWebhook | undefined;
afterEach(async () => {
  await webhook?.close();
  await fake?.close();
  webhook = undefined;
  fake = undefined;
});

describe('alerts after a health check opened the incident', () => {
  it('each new alert is another cause, said in the thread once', async () => {
    fake = await startFakeMonitoring();
    fake.prometheus.set('up', '1');
    fake.prometheus.set('errors', '0.01');
    const h = await suite.start({
      runbook: incidentRunbook(fake.url),
      // No Alertmanager to poll: its alerts arrive only by the webhook.
      config: { PROMETHEUS_URL: fake.url },
    });
    await deployLive(h, 'v1.0.0');
    webhook = await serveAlertWebhook(h);
    fake.health = 503;
    const [opened] = await eventually(
      () => incidents(h),
      (all) => all.length > 0,
      20_000,
      'the incident of the failing health check',
    );
    const id = opened?.id ?? '';
    expect(opened?.trigger).toBe('web-down');

    const down = alertPayload('ServiceDown', [{ name: 'ServiceDown', fingerprint: 'a1' }]);
    const disk = alertPayload('DiskFull', [{ name: 'DiskFull', fingerprint: 'd1' }]);
    expect((await webhook.post(down)).incidents).toEqual([]);
    expect((await webhook.post(disk)).incidents).toEqual([]);
    expect((await webhook.post(down)).incidents).toEqual([]);
    expect((await webhook.post(disk)).incidents).toEqual([]);

    const expected = [
      `➕ Another cause for ${id}: Critical alerts: 1 firing (ServiceDown), after svc-1 (v1.0.0)`,
      `➕ Another cause for ${id}: Critical alerts: 1 firing (DiskFull), after svc-1 (v1.0.0)`,
    ];
    const notes = await eventually(
      async () => incidentNotes(h, id).filter((n) => n.includes('Another cause')),
      (n) => n.length >= expected.length,
      10_000,
      'a note for each alert',
    );
    expect(notes).toEqual(expected);
    const causes = (await h.preflight.engine.incidents.get(id))?.causes ?? [];
    expect(causes.map((c) => c.alerts)).toEqual([['a1@2025-03-01T10:00:00Z'], ['d1@2025-03-01T10:00:00Z']]);
    const audit = await h.preflight.engine.incidents.audit(id);
    expect(audit.filter((r) => r.type === 'incident.cause_added')).toHaveLength(2);
    expect(await incidents(h)).toHaveLength(1);
  }, 60_000);
});
