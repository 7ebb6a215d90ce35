/**
 * Markup in text from outside shows as written on Slack: an alert's labels and annotations in the incident and its
 * DM page, a lock's reason in the announcement, a resolve note in the thread. No link is made of `[label](url)` or
 * `<url|label>`, no bold of `*…*`; Preflight's own bold, mentions and thread links in the same messages still work.
 */
import { describe, expect, it } from 'vitest';
import { slackLinks, slackShows } from '../helpers/chat-markup.ts';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-methods.ts';
import { routeAlerts, shopAlertWritten, shopRunbook } from '../helpers/shop-alert.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const ANN = 'U0ANN0001';
const ALERT = 'ShopDown [runbook](https://evil.example/r)';
const SUMMARY = '*all* checkouts <https://evil.example/s|fail>';
const REASON = 'see [the fix](https://evil.example/x) *now* ~or~ `never`';
const OWN_LINK = /^https:\/\/example\.slack\.com\//;

const RUNBOOK = shopRunbook({
  people: { ann: ANN },
  permissions: ['deploy', 'rollback', 'lock'],
  levels: ['{ id: L1, notify: [ops], via: [mention, dm], respond_within: 15m }'],
});

const suite = useSlackSuite(RUNBOOK);

/** The mrkdwn a message shows: its section blocks. */
const mrkdwnOf = (message: Pick<FakeMessage, 'blocks'>) =>
  (message.blocks as { text?: { text?: string } }[]).map((b) => b.text?.text ?? '').join('\n');

/** What a person sees: no link but Preflight's own, no bold or code made of outside text, its words as written. */
function expectShownAsWritten(mrkdwn: string, written: readonly string[]) {
  expect(slackLinks(mrkdwn).filter((url) => !OWN_LINK.test(url))).toEqual([]);
  for (const markup of ['*all*', '*now*', '~or~', '`never`']) expect(mrkdwn).not.toContain(markup);
  for (const words of written) expect(slackShows(mrkdwn)).toContain(words);
}

describe('markup in text from outside, on Slack', () => {
  it('shows as written in the incident, its page, the lock announcement and the resolve note', async () => {
    const { h } = suite;
    const sent = await routeAlerts(h)(shopAlertWritten(ALERT, SUMMARY));
    expect(sent.status).toBe(200);
    const incident = await h.waitFor('the incident post', () =>
      h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && m.text.includes('INC-1')),
    );
    expect(mrkdwnOf(incident)).toMatch(/^🚨 \*INC-1\* shop production: Shop down: 1 firing /);
    expectShownAsWritten(mrkdwnOf(incident), [ALERT, SUMMARY]);
    const page = await h.waitFor('the page by DM', () =>
      h.fake.messages.find((m) => m.channel.startsWith('D') && m.text.includes('You are paged')),
    );
    expectShownAsWritten(mrkdwnOf(page), [ALERT]);

    const locked = await h.command(ANN, `/deploy lock shop production ${REASON}`);
    const lock = await h.waitFor('the lock announcement', () =>
      h.fake.responses.find((r) => r.tag === locked.tag),
    );
    expect(lock.body.response_type).toBe('in_channel');
    expectShownAsWritten(mrkdwnOf(lock.body as { blocks: unknown[] }), [REASON]);

    const resolved = await h.command(ANN, `/incident resolve INC-1 ${REASON}`);
    const answer = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === resolved.tag));
    // Preflight's own link to the thread is still a link.
    expect(slackLinks(mrkdwnOf(answer.body as { blocks: unknown[] }))).toEqual([
      expect.stringMatching(OWN_LINK),
    ]);
    const note = await h.waitFor('the resolve note', () =>
      h.fake.messages.find((m) => m.threadTs === incident.ts && m.text.includes('resolved INC-1')),
    );
    expect(mrkdwnOf(note)).toMatch(new RegExp(`^✅ <@${ANN}> resolved INC-1: `));
    expectShownAsWritten(mrkdwnOf(note), [REASON]);
  });
});
