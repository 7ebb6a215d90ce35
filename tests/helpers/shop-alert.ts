/** The shop service whose ShopDown alert opens an incident: its runbook, the alert as Alertmanager sends it, the post. */
import { routeAlertmanager } from '../../src/cli/http-routes.ts';
import type { SlackHarness } from './slack-harness.ts';

export interface ShopRunbookParts {
  /** Each person's Slack user id, by their runbook id (named as the id, capitalised). */
  readonly people: Readonly<Record<string, string>>;
  /** The escalation levels, one flow map each. */
  readonly levels: readonly string[];
  readonly repeatLastEvery?: string;
  /** Who is in the group `ops`; Ann alone unless said. */
  readonly ops?: readonly string[];
  /** What `ops` may do; deploy and rollback unless said. */
  readonly permissions?: readonly string[];
  readonly environments?: string;
  /** The lines under `steps:`; one build step that succeeds unless said. */
  readonly steps?: string;
}

const capitalised = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}`;

/** A runbook for shop whose trigger shop-down matches the alerts of service shop. */
export function shopRunbook(parts: ShopRunbookParts): string {
  const people = Object.entries(parts.people).map(
    ([id, slack]) => `  ${id}: { name: ${capitalised(id)}, slack: ${slack} }`,
  );
  const permissions = (parts.permissions ?? ['deploy', 'rollback']).map((p) => `${p}: [ops]`).join(', ');
  return `version: 1
service: shop
timezone: UTC
environments: ${parts.environments ?? '{ production: { default: true } }'}
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
${people.join('\n')}
groups: { ops: [${(parts.ops ?? ['ann']).join(', ')}] }
permissions: { ${permissions} }
steps:
${parts.steps ?? '  - { id: build, title: Build, run: "true" }'}
rollback:
  triggers:
    - { id: shop-down, title: Shop down, alertmanager: { match: { service: shop } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation:
  levels:
${parts.levels.map((level) => `    - ${level}`).join('\n')}
${parts.repeatLastEvery ? `  repeat_last_every: ${parts.repeatLastEvery}\n` : ''}`;
}

export interface ShopDownOptions {
  readonly status?: 'firing' | 'resolved';
  /** The `service` label, as the sender spells it. */
  readonly service?: string;
  /** More labels on the alert. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly fingerprint?: string;
}

/** Alertmanager's webhook (v4) for one critical ShopDown alert, started 2026-01-07 06:00 UTC (resolved at 06:03). */
export function shopDownAlert(options: ShopDownOptions = {}) {
  const { status = 'firing', service = 'shop', labels = {}, fingerprint = 'f00d' } = options;
  return {
    version: '4',
    groupKey: '{}:{alertname="ShopDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'preflight',
    groupLabels: { alertname: 'ShopDown' },
    commonLabels: { alertname: 'ShopDown', service },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local',
    alerts: [
      {
        status,
        labels: { alertname: 'ShopDown', service, severity: 'critical', ...labels },
        annotations: { summary: 'shop is down' },
        startsAt: '2026-01-07T06:00:00Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-01-07T06:03:00Z',
        generatorURL: 'http://prometheus.local/graph',
        fingerprint,
      },
    ],
  };
}

/** A firing alert for shop whose name and summary are text from outside, with no common or group labels. */
export function shopAlertWritten(alertname: string, summary: string) {
  return {
    version: '4',
    groupKey: '{}:{alertname="ShopDown"}',
    status: 'firing',
    receiver: 'preflight',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.local',
    alerts: [
      {
        status: 'firing',
        labels: { alertname, service: 'shop' },
        annotations: { summary },
        startsAt: '2026-01-07T06:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'f00d',
      },
    ],
  };
}

/** POSTs `payload` as JSON to the Alertmanager webhook of the Preflight at `base`. */
export function postAlert(base: string, payload: unknown): Promise<Response> {
  return fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
}

/** Serves the Alertmanager webhook on the harness's HTTP server; the sender it returns posts to it. */
export function routeAlerts(h: Pick<SlackHarness, 'http' | 'preflight' | 'base'>) {
  routeAlertmanager(h.http, h.preflight);
  return (payload: unknown) => postAlert(h.base, payload);
}
