/**
 * Slack end to end: someone the runbook does not know tries to acknowledge an incident by its Acknowledge button,
 * by 👀 on its message and by `/ack`. As for a stranger refused a rollback or `/incident resolve`, each refusal
 * says who may acknowledge it (the people of its escalation levels), so the stranger knows whom to wake.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopDownAlert, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const BOB = 'U0BOB0001';
const CAT = 'U0CAT0001';
const EVE = 'U0EVE0001';

const suite = useSlackSuite(
  shopRunbook({
    people: { ann: ANN, bob: BOB, cat: CAT },
    levels: [
      '{ id: L1, notify: [ann], respond_within: 1h }',
      '{ id: L2, notify: [cat], respond_within: 1h }',
    ],
  }),
);

describe('an acknowledgement by someone the runbook does not know', () => {
  it('is refused by button, 👀 and /ack, each time saying who may acknowledge instead', async () => {
    const { h } = suite;
    const opened = (await (await routeAlerts(h)(shopDownAlert())).json()) as { incidents: string[] };
    expect(opened.incidents).toEqual(['INC-1']);
    const message = await h.waitFor('the incident message', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
    );
    const answered = async (answer: Promise<{ tag: string }>) => {
      const { tag } = await answer;
      const found = await h.waitFor(`the answer ${tag}`, () => h.fake.responses.find((r) => r.tag === tag));
      return String(found.body.text);
    };
    const toEve: string[] = [];
    toEve.push(await answered(h.click(EVE, message, 'incident.ack')));
    toEve.push(await answered(h.command(EVE, '/ack INC-1')));
    expect((await h.react(EVE, message, 'eyes')).status).toBe(200);
    const whisper = await h.waitFor('the answer to the 👀', () =>
      h.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === EVE),
    );
    toEve.push(String(whisper.params.text));
    for (const told of toEve) {
      expect(told).toContain('is not among the people of the shop runbook');
      expect(told).toContain('only Ann, Cat may acknowledge INC-1');
    }
    expect((await h.preflight.engine.incidents.get('INC-1'))?.state).toBe('open');
  }, 60_000);
});
