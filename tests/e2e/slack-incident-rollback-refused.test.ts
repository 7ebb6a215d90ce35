/**
 * Slack end to end: 🔄 on an incident that is about no deployment, by someone the runbook does not know and by a
 * person who may not roll back. Who asks is judged first: each is told, to them alone, why they may not and who
 * may, never only that the incident has nothing to roll back; the incident stays open.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BOB = 'U0BOB0001';
const EVE = 'U0EVE0001';

const suite = useSlackSuite(
  shopRunbook({
    people: { ann: ANN, bob: BOB },
    levels: ['{ id: L1, notify: [ann, bob], respond_within: 1h }'],
  }),
);

describe('🔄 on an incident about no deployment', () => {
  it('tells a stranger and a person without the rollback permission who may roll back', async () => {
    const { h } = suite;
    const opened = (await (await routeAlerts(h)(shopDownAlert())).json()) as { incidents: string[] };
    expect(opened.incidents).toEqual(['INC-1']);
    const message = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    const whisper = async (user: string) => {
      expect((await h.react(user, message, 'arrows_counterclockwise')).status).toBe(200);
      const found = await h.waitFor(`the answer to ${user}`, () =>
        h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === user),
      );
      return String(found.params.text);
    };

    const toEve = await whisper(EVE);
    expect(toEve).toContain('is not among the people of the shop runbook');
    expect(toEve).toContain('only Ann may roll back (permissions.rollback)');
    const toBob = await whisper(BOB);
    expect(toBob).toContain('you cannot roll back');
    expect(toBob).toContain('only Ann may (permissions.rollback)');
    for (const told of [toEve, toBob]) expect(told).not.toContain('not about a deployment');
    expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');
  }, 60_000);
});
