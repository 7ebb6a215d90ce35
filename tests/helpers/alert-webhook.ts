/** The Alertmanager webhook of a harness's Preflight on a free port, and payloads shaped like Alertmanager's. */
import { readFileSync } from 'node:fs';
import { routeAlertmanager } from '../../src/cli/http-routes.ts';
import { createHttpServer } from '../../src/infra/http/http-server.ts';
import type { Harness } from './engine-harness.ts';

export interface WebhookAnswer {
  readonly matched: number;
  readonly incidents: string[];
  readonly resolved?: string[];
  readonly stillOpen?: { incident: string; openFor: string[] }[];
  readonly ignored?: string[];
}

export interface AlertWebhook {
  post(payload: unknown): Promise<WebhookAnswer>;
  close(): Promise<void>;
}

/** Serves POST /webhooks/alertmanager for `h`. */
export async function serveAlertWebhook(h: Pick<Harness, 'preflight'>): Promise<AlertWebhook> {
  const http = createHttpServer({
    ready: async () => ({ ok: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    log: { error: () => {}, warn: () => {} },
  });
  routeAlertmanager(http, h.preflight);
  const port = await http.listen(0, '127.0.0.1');
  return {
    async post(payload) {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as WebhookAnswer;
    },
    close: () => http.close(),
  };
}

export interface AlertSpec {
  readonly name: string;
  readonly fingerprint: string;
  readonly status?: 'firing' | 'resolved';
  readonly startsAt?: string;
  readonly labels?: Record<string, string>;
  /** In place of the default summary. */
  readonly annotations?: Record<string, string>;
}

/** The fixture's firing webhook (Alertmanager v4) for service `svc`, as parsed JSON to change. */
export function firingFixture<
  T = { groupKey: string; status: string; alerts: Record<string, unknown>[] },
>(): T {
  return JSON.parse(
    readFileSync(
      new URL('../fixtures/alertmanager/webhook-v4-firing.json', import.meta.url),
      'utf8',
    ).replaceAll('checkout', 'svc'),
  ) as T;
}

/** A webhook for service `svc` (the fixture's shape, its alerts replaced), grouped by `group`. */
export function alertPayload(group: string, alerts: readonly AlertSpec[]) {
  const fixture = firingFixture();
  const template = fixture.alerts[0] as {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  return {
    ...fixture,
    groupKey: `{}:{alertname="${group}"}`,
    status: alerts.some((a) => (a.status ?? 'firing') === 'firing') ? 'firing' : 'resolved',
    alerts: alerts.map((a) => ({
      ...template,
      status: a.status ?? 'firing',
      labels: { ...template.labels, alertname: a.name, instance: `${a.fingerprint}:8080`, ...a.labels },
      annotations: a.annotations ?? { summary: `${a.name} is firing` },
      startsAt: a.startsAt ?? '2025-03-01T10:00:00Z',
      endsAt: a.status === 'resolved' ? '2025-03-01T10:05:00Z' : '0001-01-01T00:00:00Z',
      fingerprint: a.fingerprint,
    })),
  };
}

/** `preflight_alertmanager_webhooks_total` by outcome, read off the live /metrics at `base`. */
export async function webhookCounts(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, outcome = '', value] of text.matchAll(
    /^preflight_alertmanager_webhooks_total\{outcome="(\w+)"\} (\S+)$/gm,
  ))
    counts[outcome] = Number(value);
  return counts;
}
