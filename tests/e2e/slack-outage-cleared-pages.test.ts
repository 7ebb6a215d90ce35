/**
 * Slack down (chat.postMessage answers 500) while an alert opens an incident and resolves again: once Slack is back
 * the thread shows the incident and that it cleared, and nobody gets the page that waited, in the thread or by
 * direct message.
 */
import { expect, it } from 'vitest';
import { routeAlertmanager } from '../../src/cli/http-routes.ts';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const DM = `D${ANN.slice(1)}`;

const RUNBOOK = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deployments", incident: "#incident-response" }
people:
  ann: { name: Ann, slack: ${ANN} }
groups: { ops: [ann] }
permissions: { deploy: [ops], rollback: [ops] }
steps:
  - { id: build, title: Build, run: "true" }
rollback:
  triggers:
    - { id: shop-down, title: Shop down, alertmanager: { match: { service: shop } } }
  steps:
    - { id: undo, title: Undo, run: "true" }
escalation:
  levels:
    - { id: L1, notify: [ann], via: [mention, dm], respond_within: 1h }
`;

const alert = (status: 'firing' | 'resolved') => ({
  version: '4',
  groupKey: '{}:{alertname="ShopDown"}',
  truncatedAlerts: 0,
  status,
  receiver: 'preflight',
  groupLabels: { alertname: 'ShopDown' },
  commonLabels: { alertname: 'ShopDown', service: 'shop' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts: [
    {
      status,
      labels: { alertname: 'ShopDown', service: 'shop', severity: 'critical' },
      annotations: { summary: 'shop is down' },
      startsAt: '2026-01-07T06:00:00Z',
      endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-01-07T06:03:00Z',
      generatorURL: 'http://prometheus.local/graph',
      fingerprint: 'f00d',
    },
  ],
});

const suite = useSlackSuite(RUNBOOK);

it('after a Slack outage, an incident whose alert resolved meanwhile shows no page that waited', async () => {
  const { h } = suite;
  routeAlertmanager(h.http, h.preflight);
  h.fake.fail('chat.postMessage', { status: 500 }, 100_000);
  const post = (status: 'firing' | 'resolved') =>
    fetch(`${h.base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert(status)),
    }).then((r) => r.json());
  expect(await post('firing')).toMatchObject({ incidents: ['INC-1'] });
  await h.waitFor('the page to Ann refused by the outage', () =>
    h.fake.calls.find((c) => c.params.channel === DM && c.method === 'chat.postMessage' && c.status === 500),
  );
  expect(await post('resolved')).toMatchObject({ resolved: ['INC-1'] });
  h.fake.heal('chat.postMessage');
  await h.waitFor(
    'the clearing in the thread',
    () => h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.threadTs && /Cleared/.test(m.text)),
    30_000,
  );
  await h.preflight.chat.queue.idle();
  const incidentMessages = h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL);
  expect(incidentMessages.filter((m) => m.text.includes('Shop down'))).toHaveLength(1);
  expect(incidentMessages.filter((m) => /paged/.test(m.text) && m.threadTs)).toEqual([]);
  expect(h.fake.messages.filter((m) => m.channel === DM)).toEqual([]);
}, 90_000);
