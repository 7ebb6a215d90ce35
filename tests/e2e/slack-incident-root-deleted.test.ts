/**
 * On Slack: someone deletes an incident's message. The next edit of it (the L2 escalation) finds it gone, so the
 * incident message is posted again in the channel as the incident stands, once, even when Slack's answer to that
 * post is lost and the bot restarts; its thread says the earlier one was deleted, and a ✅ on the new message
 * acknowledges the incident, said in the new thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { loseNextRootPostAnswer } from '../helpers/slack-lost-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, CAT, twoLevelIncidentRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = twoLevelIncidentRunbook('2s');

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe("an incident's deleted Slack message", () => {
  it('is posted again once, its thread goes on, and a ✅ on it acknowledges', async () => {
    expect((await h.command(ANN, '/incident open svc production checkout is failing')).status).toBe(200);
    const incidents = () =>
      h.fake.messages.filter(
        (m) => m.channel === INCIDENT_CHANNEL && !m.threadTs && m.text.includes('INC-1'),
      );
    const root = await h.waitFor('the incident message', () => incidents()[0]);
    await h.waitFor('the L1 page', () =>
      h.fake.messages.find((m) => m.threadTs === root.ts && m.text.includes('L1')),
    );
    h.fake.messages.splice(h.fake.messages.indexOf(root), 1);
    // Slack posts the new incident message, and its answer is lost; the bot restarts before it knows.
    const lost = loseNextRootPostAnswer(h.fake, INCIDENT_CHANNEL);
    const anew = await h.waitFor('a new incident message', () => incidents()[0], 30_000);
    expect(lost()).toBe(true);
    await h.restart(() => h.fake.beforeAnswer(undefined));
    const thread = (text: string) =>
      h.fake.messages.filter((m) => m.threadTs === anew.ts && m.text.includes(text));
    await h.waitFor('the word in the new thread', () => thread('earlier thread was deleted')[0], 30_000);
    expect(anew.text).toContain('L2');

    expect((await h.react(CAT, anew, 'white_check_mark')).status).toBe(200);
    const acknowledged = await h.waitFor('INC-1 acknowledged', async () => {
      const incident = await h.preflight.engine.incidents.get('INC-1');
      return incident?.state === 'acknowledged' ? incident : undefined;
    });
    expect(acknowledged.ack?.by).toBe('cat');
    await h.waitFor('the acknowledgement in the new thread', () => thread('acknowledged INC-1')[0]);
    await h.waitFor('the new message edited', () => anew.text.includes('Acknowledged by') && anew);
    expect(incidents()).toHaveLength(1);
    expect(thread('earlier thread was deleted')).toHaveLength(1);
    expect(thread('earlier thread was deleted')[0]?.text).toContain('/incident status INC-1');
  }, 90_000);
});
