/**
 * On Slack someone deletes a message of Preflight's that asks people to act, and Slack tells Preflight (a
 * message_deleted event). A pending gate's prompt is posted again in the deployment's thread, as it stands, with a
 * line saying the earlier one was deleted, once however often the deletion is delivered; a ✅ on the new one counts
 * and the deployment goes on. A checklist item already ticked asks nothing any more: it is not posted again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { deletionEvent, eventCallback } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `groups: { devs: [ann], ops: [ben, cat] }
permissions: { deploy: [devs], rollback: [devs] }
checklist:
  - { id: notes, title: Notes reviewed, owner: [ben] }
gates:
  go: { title: Go, approvers: [ops] }
steps:
  - { id: ship, title: Ship, needs: [go], run: "true" }
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`,
);

const suite = useSlackSuite(RUNBOOK);
let h: SlackHarness;
let root: FakeMessage;
beforeAll(async () => {
  h = suite.h;
  expect((await h.command(ANN, '/deploy start svc v1.0.0')).status).toBe(200);
  root = await h.waitFor('the status message', () =>
    h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && !m.threadTs && m.text.includes('svc-1')),
  );
});

const inThread = (text: string) =>
  h.fake.messages.filter((m) => m.threadTs === root.ts && m.text.includes(text));
const settled = async () => {
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  await h.preflight.chat.queue.idle();
};

describe('prompts deleted in Slack', () => {
  it('posts a pending gate again in its thread, once, where a ✅ approves it; a ticked item stays deleted', async () => {
    const item = await h.messageOf('svc-1', 'checklist-item:notes');
    expect((await h.react(BEN, item, 'white_check_mark')).status).toBe(200);
    await h.waitForState('svc-1', ['awaiting_gates']);
    const gate = await h.messageOf('svc-1', 'gate:go');
    expect(gate.threadTs).toBe(root.ts);
    // The ticked item asks nothing any more; the gate still waits for an approval.
    expect((await h.deleteMessage(item)).status).toBe(200);
    const again = deletionEvent({
      channel: gate.channel,
      ts: gate.ts,
      threadTs: root.ts,
      text: gate.text,
      replies: 0,
    });
    expect((await h.deleteMessage(gate)).status).toBe(200);
    // Slack tells it once more (another event of the same deletion): still one prompt.
    expect((await h.send(eventCallback(again, 'EvDELETEDAGAIN'))).status).toBe(200);

    const posted = await h.waitFor('the gate posted again', () => inThread('*Go* gate')[0], 30_000);
    expect(posted.ts).not.toBe(gate.ts);
    expect(JSON.stringify(posted.blocks)).toContain('gate.approve');
    const word = inThread('was deleted');
    expect(word).toHaveLength(1);
    expect(word[0]?.text).toContain('svc-1');
    expect(Number(word[0]?.ts)).toBeLessThan(Number(posted.ts));
    // The message index names the new message (saved right after its post).
    await h.waitFor(
      'the index naming the new prompt',
      async () => (await h.preflight.chat.index.find('svc-1', 'gate:go'))?.id === posted.ts,
    );
    await settled();
    expect(inThread('*Notes reviewed*')).toEqual([]);
    expect((await h.preflight.chat.index.find('svc-1', 'checklist-item:notes'))?.id).toBe(item.ts);

    expect((await h.react(BEN, posted, 'white_check_mark')).status).toBe(200);
    await h.waitForState('svc-1', ['succeeded'], 60_000);
    await h.waitFor('the new prompt edited', () => (posted.text.includes('approved') ? posted : undefined));
    await settled();
    expect(inThread('*Go* gate')).toHaveLength(1);
    expect(inThread('was deleted')).toHaveLength(1);
  }, 90_000);
});
