/**
 * An Alertmanager webhook whose body trickles is cut off with 408 and counted as cut_off, not as unavailable (which
 * says Redis is away and pages for it), while a whole one meanwhile is taken and counted as accepted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routeAlertmanager } from '../../../src/cli/http-routes.ts';
import { createHttpServer, type HttpServer } from '../../../src/infra/http/http-server.ts';
import { createMetrics } from '../../../src/infra/metrics.ts';
import { alertPayload } from '../../helpers/alert-webhook.ts';
import { engineRunbook } from '../../helpers/engine-runbooks.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { waitFor } from '../../helpers/slack-harness.ts';
import { openSlowClient, settlesWithin } from '../../helpers/slow-client.ts';

const suite = useEngineSuite();
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

describe('an Alertmanager webhook that trickles', () => {
  it('is cut off with 408 and counted as cut_off; a whole one meanwhile is accepted', async () => {
    const h = await suite.start({ runbook: engineRunbook('  - { id: ship, title: Ship, run: "true" }') });
    const metrics = createMetrics();
    http = createHttpServer({
      ready: async () => ({ ok: true, checks: {} }),
      metrics: () => metrics.render(),
      log: h.preflight.logger,
      limits: { headersMs: 500, requestMs: 1_000, keepAliveMs: 500, maxConnections: 50, answerMs: 30_000 },
    });
    routeAlertmanager(http, h.preflight, undefined, metrics.webhookHandled);
    const port = await http.listen(0, '127.0.0.1');
    const body = JSON.stringify(alertPayload('slow', [{ name: 'Unmatched', fingerprint: 'f1' }]));
    const slow = await openSlowClient(
      port,
      'POST /webhooks/alertmanager HTTP/1.1\r\nHost: preflight\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length + 10_000}\r\n\r\n${body}`,
    );
    slow.trickle(' ', 50);
    const whole = await fetch(`http://127.0.0.1:${port}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(whole.status).toBe(200);
    expect(await settlesWithin(slow.closed, 10_000, 'a trickling webhook')).toMatch(
      /^HTTP\/1\.1 408 Request Timeout\r\n/,
    );
    // Counted once the route has seen its body end short, which may come just after the client saw the 408.
    const counted = await waitFor('the cut-off webhook counted', async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /outcome="(cut_off|unavailable)"\} 1/.test(text) && text;
    });
    expect(counted.match(/^preflight_alertmanager_webhooks_total\{.*$/gm)).toEqual([
      'preflight_alertmanager_webhooks_total{outcome="accepted"} 1',
      'preflight_alertmanager_webhooks_total{outcome="left_out"} 0',
      'preflight_alertmanager_webhooks_total{outcome="unauthorized"} 0',
      'preflight_alertmanager_webhooks_total{outcome="invalid"} 0',
      'preflight_alertmanager_webhooks_total{outcome="too_large"} 0',
      'preflight_alertmanager_webhooks_total{outcome="cut_off"} 1',
      'preflight_alertmanager_webhooks_total{outcome="unavailable"} 0',
    ]);
  });
});
