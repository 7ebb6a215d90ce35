/**
 * On Slack: someone deletes an incident's message, and Slack tells Preflight (a message event). Slack would still
 * take a post into the deleted message's thread, where nobody sees it; instead the next page starts the incident's
 * thread anew: the incident message posted again in the channel, a word under it that the earlier thread was
 * deleted, and the page there. Nothing more goes into the deleted thread, and its tombstone is left as it is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, twoLevelIncidentRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = twoLevelIncidentRunbook('5s');

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const inThread = (root: FakeMessage, text: string) =>
  h.fake.messages.filter((m) => m.threadTs === root.ts && m.text.includes(text));

describe("an incident's Slack message deleted, as Slack tells it", () => {
  it('sends the next page to a new incident message that says the thread goes on there', async () => {
    expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
    const incidents = () =>
      h.fake.messages.filter(
        (m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1'),
      );
    const root = await h.waitFor('the incident message', () => incidents()[0]);
    await h.waitFor('the L1 page', () => inThread(root, 'L1')[0]);

    expect((await h.deleteMessage(root)).status).toBe(200);
    const page = await h.waitFor(
      'the L2 page',
      () => h.fake.messages.find((m) => m.threadTs !== undefined && m.text.includes('*L2')),
      30_000,
    );
    const anew = incidents().find((m) => m.ts === page.threadTs);
    expect(anew?.text).toContain('L2');
    // The word comes first in the new thread, then the page.
    const thread = h.fake.messages.filter((m) => m.threadTs === page.threadTs);
    expect(thread.map((m) => m.ts)).toEqual([thread[0]?.ts, page.ts]);
    expect(thread[0]?.text).toContain('earlier thread was deleted');
    expect(inThread(root, 'L2')).toEqual([]);
    expect(root.text).toBe('This message was deleted.');
  }, 90_000);
});
