/**
 * An Alertmanager alert for a service with no deployment behind it, on a bot connected to Slack: the incident
 * is posted in Slack's incident channel (not in a terminal nobody reads), once, however often Alertmanager
 * re-sends the group.
 */
import { describe, expect, it } from 'vitest';
import { routeAlertmanager } from '../../src/cli/http-routes.ts';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: U0ANN0001 }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  triggers:
    - { id: shop-down, title: Shop down, alertmanager: { match: { service: shop } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation: { levels: [{ id: L1, notify: [ops], respond_within: 15m }] }
`;

const alert = {
  version: '4',
  groupKey: '{}:{alertname="ShopDown"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'preflight',
  groupLabels: { alertname: 'ShopDown' },
  commonLabels: { alertname: 'ShopDown', service: 'shop' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'ShopDown', service: 'shop', severity: 'critical' },
      annotations: { summary: 'shop is down' },
      startsAt: '2026-01-07T06:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.local/graph',
      fingerprint: 'f00d',
    },
  ],
};

const suite = useSlackSuite(RUNBOOK);

describe('an alert with no deployment behind it, on a Slack bot', () => {
  it('opens one incident in the Slack incident channel, and a re-send opens no second one', async () => {
    const { h } = suite;
    routeAlertmanager(h.http, h.preflight);
    const send = () =>
      fetch(`${h.base}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
      });
    const first = await send();
    expect(first.status).toBe(200);
    const opened = (await first.json()) as { incidents: string[] };
    expect(opened.incidents).toHaveLength(1);
    const incident = await h.preflight.engine.incidents.get(opened.incidents[0] ?? '');
    expect(incident?.origin).toBe('slack');
    await h.waitFor(
      'the incident in #incident-response',
      () => h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes('Shop down')),
      20_000,
    );
    const again = await send();
    expect(await again.json()).toMatchObject({ incidents: [] });
    expect((await h.preflight.engine.incidents.list({ service: 'shop' })).length).toBe(1);
  });
});
