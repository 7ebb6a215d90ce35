/**
 * Slack down (chat.postMessage answers 500) while an alert opens an incident and resolves again: once Slack is back
 * the thread shows the incident and that it cleared, and nobody gets the page that waited, in the thread or by
 * direct message.
 */
import { expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const DM = `D${ANN.slice(1)}`;

const RUNBOOK = shopRunbook({
  people: { ann: ANN },
  levels: ['{ id: L1, notify: [ann], via: [mention, dm], respond_within: 1h }'],
});

const suite = useSlackSuite(RUNBOOK);

it('after a Slack outage, an incident whose alert resolved meanwhile shows no page that waited', async () => {
  const { h } = suite;
  const send = routeAlerts(h);
  h.fake.fail('chat.postMessage', { status: 500 }, 100_000);
  const post = (status: 'firing' | 'resolved') => send(shopDownAlert({ status })).then((r) => r.json());
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
