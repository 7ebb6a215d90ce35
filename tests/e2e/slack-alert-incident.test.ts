/**
 * An Alertmanager alert for a service with no deployment behind it, on a bot connected to Slack: the incident
 * is posted in Slack's incident channel (not in a terminal nobody reads), once, however often Alertmanager
 * re-sends the group.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = shopRunbook({
  people: { ann: 'U0ANN0001' },
  levels: ['{ id: L1, notify: [ops], respond_within: 15m }'],
});

const suite = useSlackSuite(RUNBOOK);

describe('an alert with no deployment behind it, on a Slack bot', () => {
  it('opens one incident in the Slack incident channel, and a re-send opens no second one', async () => {
    const { h } = suite;
    const post = routeAlerts(h);
    const send = () => post(shopDownAlert());
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
