/**
 * On Slack: someone deletes a deployment's status message. Its next edit finds it gone, so the thread is started
 * anew: a new status message in the channel as the deployment stands, once, even when Slack's answer to that post
 * is lost and the bot restarts; a word in its thread that the earlier one was deleted; the checklist item still
 * waiting posted again there, where a ✅ counts, so the gate, the run and the report follow in the new thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { loseNextRootPostAnswer } from '../helpers/slack-lost-answer.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `groups: { ops: [ann, ben] }
permissions: { deploy: [ops], rollback: [ops] }
checklist:
  - { id: notes, title: Notes reviewed, owner: [ben] }
  - { id: support, title: Support told, owner: [cat] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe("a deployment's deleted Slack status message", () => {
  it('starts the thread anew once; what waited is posted again there and answered there', async () => {
    expect((await h.command(ANN, '/deploy start svc v2.0.0')).status).toBe(200);
    const statuses = () =>
      h.fake.messages.filter((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('svc-1'));
    const root = await h.waitFor('the status message', () => statuses()[0]);
    const inThread = (ts: string, text: string) =>
      h.fake.messages.filter((m) => m.threadTs === ts && m.text.includes(text));
    const notes = await h.waitFor('the notes item', () => inThread(root.ts, '*Notes reviewed*')[0]);
    await h.waitFor('the support item', () => inThread(root.ts, '*Support told*')[0]);
    h.fake.messages.splice(h.fake.messages.indexOf(root), 1);
    // Slack posts the new status message, and its answer is lost; the bot restarts before it knows.
    const lost = loseNextRootPostAnswer(h.fake, DEPLOY_CHANNEL);
    // Ben's tick edits the status message, which is gone. As on Slack, his ✅ stays on the item's message, where the
    // read-back after the restart finds it (the harness's react sends only the event).
    notes.reactedBy.white_check_mark = [BEN];
    expect((await h.react(BEN, notes, 'white_check_mark')).status).toBe(200);
    const anew = await h.waitFor('a new status message', () => statuses()[0], 30_000);
    expect(lost()).toBe(true);
    await h.restart(() => h.fake.beforeAnswer(undefined));
    const said = (text: string) => inThread(anew.ts, text);
    await h.waitFor('the word in the new thread', () => said('earlier thread was deleted')[0], 30_000);
    expect(said('earlier thread was deleted')[0]?.text).toContain('/deploy status svc-1');
    // Only the item still waiting is posted again; Cat's ✅ on it counts, and the gate is asked in the new thread.
    const support = await h.waitFor('the support item again', () => said('*Support told*')[0], 30_000);
    expect(said('*Notes reviewed*')).toEqual([]);
    expect((await h.react(CAT, support, 'white_check_mark')).status).toBe(200);
    const gate = await h.waitFor('the gate in the new thread', () => said('*Go* gate')[0], 30_000);
    expect((await h.react(BEN, gate, 'white_check_mark')).status).toBe(200);
    await h.waitForState('svc-1', ['succeeded'], 60_000);
    await h.waitFor('the report in the new thread', () => said('*Report*')[0], 30_000);
    await h.waitFor('the new status edited', () => (anew.text.includes('succeeded') ? anew : undefined));
    expect(statuses()).toHaveLength(1);
    expect(said('earlier thread was deleted')).toHaveLength(1);
    expect(said('*Support told*')).toHaveLength(1);
    expect(inThread(root.ts, '*Go* gate')).toEqual([]);
  }, 120_000);
});
