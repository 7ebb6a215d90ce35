/**
 * A press whose handling fails on Preflight's side (Redis gone for a moment while the Acknowledge press is handled)
 * is handed over again by the inbox, as a reaction is, rather than answered with an error and lost: the incident is
 * acknowledged, paging stops, and the person is told so once.
 */
import { expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';

const suite = useSlackSuite(
  shopRunbook({ people: { ann: ANN }, levels: ['{ id: L1, notify: [ann], respond_within: 1h }'] }),
);

it('acknowledges the incident when the first handling of Acknowledge fails', async () => {
  const { h } = suite;
  await routeAlerts(h)(shopDownAlert());
  const message = await h.waitFor('the incident message', () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
  );
  // The next read of an incident fails as a dropped Redis connection would; the reads after it work.
  const incidents = h.preflight.engine.incidents;
  const get = incidents.get.bind(incidents);
  let failures = 0;
  incidents.get = async (id) => {
    if (failures++ === 0) throw new Error('Connection is closed.');
    return get(id);
  };
  try {
    const { tag } = await h.click(ANN, message, 'incident.ack');
    const told = await h.waitFor('the answer to the press', () =>
      h.fake.responses.find((r) => r.tag === tag),
    );
    expect(String(told.body.text)).toBe('acknowledged INC-1; paging stopped');
    expect(h.fake.responses.filter((r) => r.tag === tag)).toHaveLength(1);
  } finally {
    incidents.get = get;
  }
  expect(failures).toBeGreaterThan(1);
  const acked = await h.preflight.engine.incidents.get('INC-1');
  expect(acked?.state).toBe('acknowledged');
  expect(acked?.ack?.by).toBe('ann');
}, 60_000);
