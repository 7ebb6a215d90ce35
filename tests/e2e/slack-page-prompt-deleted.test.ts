/**
 * On Slack someone deletes the page in an open incident's thread, and Slack tells Preflight. The page is the call to
 * the people of its level (a 👀 on it acknowledges), and its mention goes with it: while nobody has answered, it is
 * posted again in the incident's thread as it stands, with a line saying the earlier one was deleted, once however
 * often the deletion is told; a 👀 on the new one acknowledges. Once acknowledged, a deleted page is left deleted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type FakeMessage, INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import { deletionEvent, eventCallback } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, twoLevelIncidentRunbook } from '../helpers/three-people-runbook.ts';

const suite = useSlackSuite(twoLevelIncidentRunbook('10m'));
let h: SlackHarness;
let root: FakeMessage;
beforeAll(async () => {
  h = suite.h;
  expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
  root = await h.waitFor('the incident message', () =>
    h.fake.messages.find((m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1')),
  );
});

const inThread = (text: string) =>
  h.fake.messages.filter((m) => m.threadTs === root.ts && m.text.includes(text));
const settled = async () => {
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  await h.preflight.chat.queue.idle();
};

describe("a page deleted in an incident's Slack thread", () => {
  it('is posted again once while nobody has answered, where 👀 acknowledges; left deleted once answered', async () => {
    const page = await h.messageOf('INC-1', 'page:0:0');
    expect(page.threadTs).toBe(root.ts);
    expect(page.text).toContain(`<@${ANN}>`);
    const again = deletionEvent({
      channel: page.channel,
      ts: page.ts,
      threadTs: root.ts,
      text: page.text,
      replies: 0,
    });
    expect((await h.deleteMessage(page)).status).toBe(200);
    // Slack tells it once more (another event of the same deletion): still one page.
    expect((await h.send(eventCallback(again, 'EvPAGEDELETEDAGAIN'))).status).toBe(200);

    const posted = await h.waitFor('the page posted again', () => inThread('*L1')[0], 30_000);
    expect(posted.ts).not.toBe(page.ts);
    expect(posted.text).toContain(`<@${ANN}>`);
    const word = inThread('was deleted');
    expect(word).toHaveLength(1);
    expect(word[0]?.text).toContain('INC-1');
    // A page has no buttons: the line says to react, nothing more.
    expect(word[0]?.text).toContain('React to it there.');
    expect(Number(word[0]?.ts)).toBeLessThan(Number(posted.ts));
    await settled();
    expect(inThread('*L1')).toHaveLength(1);
    expect(inThread('was deleted')).toHaveLength(1);

    expect((await h.react(ANN, posted, 'eyes')).status).toBe(200);
    await h.waitFor(
      'the incident acknowledged',
      async () => (await h.preflight.engine.incidents.get('INC-1'))?.ack?.by === 'ann',
    );
    await h.waitFor('the incident message edited', () =>
      root.text.includes('Acknowledged') ? root : undefined,
    );

    // Answered: the page calls for nothing now, so its deletion is left as it is.
    expect((await h.deleteMessage(posted)).status).toBe(200);
    await settled();
    expect(inThread('*L1')).toEqual([]);
    expect(inThread('was deleted')).toHaveLength(1);
  }, 90_000);
});
