/**
 * Slack down for a while (chat.postMessage answers 500) while an incident pages again and again, and someone
 * acknowledges it meanwhile (a slash command still works): once Slack is back the thread shows the incident and
 * the acknowledgement, not the backlog of pages nobody needs to answer any more.
 */
import { expect, it, vi } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';

const RUNBOOK = shopRunbook({
  people: { ann: ANN, ben: 'U0BEN0001' },
  ops: ['ann', 'ben'],
  levels: [
    '{ id: L1, notify: [ann], respond_within: 100ms }',
    '{ id: L3, notify: [ben], respond_within: 100ms }',
  ],
  repeatLastEvery: '100ms',
});

const suite = useSlackSuite(RUNBOOK);

it('after a Slack outage, an incident acknowledged meanwhile shows no page that waited', async () => {
  const { h } = suite;
  const send = routeAlerts(h);
  h.fake.fail('chat.postMessage', { status: 500 }, 100_000);
  const opened = await send(shopDownAlert());
  expect(await opened.json()).toMatchObject({ incidents: ['INC-1'] });
  await vi.waitFor(
    async () => expect((await h.preflight.engine.incidents.get('INC-1'))?.pages.length).toBeGreaterThan(8),
    { timeout: 20_000, interval: 100 },
  );
  expect((await h.command(ANN, '/ack INC-1')).status).toBe(200);
  await vi.waitFor(async () =>
    expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('acknowledged'),
  );
  h.fake.heal('chat.postMessage');
  await h.waitFor(
    'the acknowledgement in the thread',
    () =>
      h.fake.messages.find(
        (m) => m.channel === INCIDENT_CHANNEL && /acknowledged/i.test(m.text) && m.threadTs,
      ),
    30_000,
  );
  await h.preflight.chat.queue.idle();
  const incidentMessages = h.fake.messages.filter((m) => m.channel === INCIDENT_CHANNEL);
  expect(incidentMessages.filter((m) => m.text.includes('Shop down'))).toHaveLength(1);
  expect(incidentMessages.filter((m) => /paged/.test(m.text) && m.threadTs)).toEqual([]);
}, 90_000);
