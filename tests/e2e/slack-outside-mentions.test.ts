/**
 * A Slack mention in text from outside (an alert's labels and annotations, a reason someone typed, a step's output)
 * is shown as plain text and pings nobody, however it is written: a user, a user group, `<!channel>`, one mention
 * hidden inside another, Preflight's own `@{person}`; the people Preflight pages are still mentioned.
 */
import { describe, expect, it } from 'vitest';
import { slackMentions, slackShows, slackTextsSent } from '../helpers/chat-markup.ts';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopAlertWritten, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const CAROL = '<@U0CAROL01>';
/** Every way of pinging on Slack that outside text could hold. */
const PINGS = `<!channel> <!here> <!everyone> <!subteam^S0OPS0001|@ops> ${CAROL} <<@U0CAROL02>> <<<@U0CAROL03>>> @{!U0CAROL04} @{ann} @channel`;

const RUNBOOK = shopRunbook({
  people: { ann: ANN },
  environments: '{ production: { default: true }, staging: {} }',
  permissions: ['deploy', 'rollback', 'lock'],
  steps: `  - id: build
    title: Build
    run: |
      printf '%s\\n' '${PINGS}'`,
  levels: ['{ id: L1, notify: [ops], respond_within: 15m }'],
});

const suite = useSlackSuite(RUNBOOK);

describe('a Slack mention in text from outside', () => {
  it('pings nobody from an alert, while the person paged is mentioned', async () => {
    const { h } = suite;
    const sent = await routeAlerts(h)(shopAlertWritten(`ShopDown ${CAROL}`, `ask ${CAROL}; ${PINGS}`));
    expect(sent.status).toBe(200);
    await h.waitFor('the page mentioning Ann', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes(`<@${ANN}>`)),
    );
    const incident = await h.waitFor('the incident post', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes('ShopDown')),
    );
    expect(incident.text).toContain('ShopDown @U0CAROL01');
    expect(JSON.stringify(h.fake.messages)).not.toContain(CAROL);
    await h.waitFor('everything sent', () => h.preflight.settled(), 30_000);
    const mentioned = slackTextsSent(h.fake).flatMap(slackMentions);
    expect(mentioned.filter((m) => m !== `<@${ANN}>`)).toEqual([]);
  });

  it('pings nobody from a reason typed into a command', async () => {
    const { h } = suite;
    const locked = await h.command(ANN, `/deploy lock shop production ask ${CAROL} first`);
    expect(locked.status).toBe(200);
    const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === locked.tag));
    expect(JSON.stringify(answer.body)).toContain('ask @U0CAROL01 first');
    expect(JSON.stringify(answer.body)).not.toContain(CAROL);
  });

  it("pings nobody from a step's output, shown as printed", async () => {
    const { h } = suite;
    await h.command(ANN, '/deploy start shop v1.0.0 staging');
    const step = await h.waitFor("the step's result", () =>
      h.fake.messages.find((m) => m.text.includes('*Build* succeeded')),
    );
    expect(slackShows(step.text).replaceAll('\u200b', '')).toContain(
      '<!channel> <!here> <!everyone> <!subteam^S0OPS0001|@ops> @U0CAROL01 @U0CAROL02 @U0CAROL03 @{!U0CAROL04} @{ann} @channel',
    );
    await h.waitFor('everything sent', () => h.preflight.settled(), 30_000);
    const texts = slackTextsSent(h.fake);
    expect(texts.flatMap(slackMentions).filter((m) => m !== `<@${ANN}>`)).toEqual([]);
    expect(slackMentions([step.text, JSON.stringify(step.blocks)].join('\n'))).toEqual([]);
    // Slack would make a bare @channel a ping with link_names: Preflight never asks for it.
    expect(h.fake.calls.filter((c) => 'link_names' in c.params)).toEqual([]);
  });
});
