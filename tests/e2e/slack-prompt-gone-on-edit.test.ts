/**
 * On Slack a gate's prompt is deleted while Preflight is down, so no deletion event reaches it. Ben's ✅, made just
 * before the deletion, comes again once it is back (Slack sends an event again after a failed delivery): his
 * approval counts, and the edit that would show it finds the prompt gone (message_not_found). The prompt is posted
 * again in the thread as it stands (Ben's approval, one more needed), where Cat's ✅ approves the gate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';
import { ANN, BEN, CAT, threePeopleRunbook } from '../helpers/three-people-runbook.ts';

const RUNBOOK = threePeopleRunbook(
  'svc',
  `groups: { devs: [ann], ops: [ben, cat] }
permissions: { deploy: [devs], rollback: [devs] }
gates:
  go: { title: Go, approvers: [ops], required: 2 }
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

describe('a gate prompt found deleted when Preflight edits it', () => {
  it('is posted again as it stands, and a ✅ there counts', async () => {
    const gate = await h.messageOf('svc-1', 'gate:go');
    await h.restart(() => {
      h.fake.messages.splice(h.fake.messages.indexOf(gate), 1);
    });
    expect((await h.react(BEN, gate, 'white_check_mark', { retryNum: 1 })).status).toBe(200);

    const posted = await h.waitFor(
      'the gate posted again',
      () => inThread('*Go* gate').find((m) => m.ts !== gate.ts),
      30_000,
    );
    expect(posted.text).toContain('1 of 2 approvals');
    expect(inThread('was deleted')).toHaveLength(1);
    // The message index names the new message (saved right after its post).
    await h.waitFor(
      'the index naming the new prompt',
      async () => (await h.preflight.chat.index.find('svc-1', 'gate:go'))?.id === posted.ts,
    );

    expect((await h.react(CAT, posted, 'white_check_mark')).status).toBe(200);
    await h.waitForState('svc-1', ['succeeded'], 60_000);
    expect(inThread('*Go* gate')).toHaveLength(1);
  }, 90_000);
});
