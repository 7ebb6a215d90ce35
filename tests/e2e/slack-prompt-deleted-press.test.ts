/**
 * On Slack someone deletes a gate's prompt; Preflight posts it again in its thread. The approver sees the new prompt
 * as soon as Slack shows it and presses Approve at once, before Preflight has heard Slack's answer to that post (so
 * before its message index names the new message). The press counts, as a ✅ there would: it is not refused as a
 * press on a message Preflight knows nothing of.
 */
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace, type InboxEntry } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const RUNBOOK = oneGateRunbook('svc', { staging: true });

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

/** Waits until the bot has handled the press `tag` once: answered it, or put it back to look again later. */
async function pressHandledOnce(tag: string): Promise<void> {
  const queue = new Queue<InboxEntry>(inboxQueueName('slack'), {
    connection: h.preflight.connect(),
    prefix: createKeySpace(h.preflight.prefix).queuePrefix,
  });
  try {
    await h.waitFor('the press handled once', async () =>
      (await queue.getJobs(['completed', 'delayed'])).some((j) => j.data.replyTo?.endsWith(tag)),
    );
  } finally {
    await queue.close();
  }
}

/**
 * Ben presses Approve on the gate's prompt posted again (in the thread `thread`, or any other than `not`) while Slack's
 * answer to that post waits until the bot has handled his press once. Resolves the press's answer, once given.
 */
function approveAsSoonAsPosted(where: { thread?: string; not?: string }): () => Promise<string> {
  let tag: string | undefined;
  h.fake.beforeAnswer(async ({ method, params, result }) => {
    const thread = params.thread_ts;
    const again =
      method === 'chat.postMessage' &&
      typeof thread === 'string' &&
      (where.thread === undefined || thread === where.thread) &&
      thread !== where.not &&
      String(params.text).includes('*Go* gate');
    if (!again || tag !== undefined) return undefined;
    const posted = h.fake.message(String(result.channel), String(result.ts));
    if (!posted) throw new Error('the gate posted again is not in the fake workspace');
    const click = await h.click(BEN, posted, 'gate.approve');
    expect(click.status).toBe(200);
    tag = click.tag;
    await pressHandledOnce(click.tag);
    return undefined;
  });
  return async () => {
    const answer = await h.waitFor(
      'the answer to the press',
      () => h.fake.responses.find((r) => tag !== undefined && r.tag === tag),
      30_000,
    );
    h.fake.beforeAnswer(undefined);
    return String(answer.body.text);
  };
}

describe('a press on a prompt posted again, before Slack has answered its post', () => {
  it('approves the gate instead of being refused', async () => {
    await h.waitForState('svc-1', ['awaiting_gates']);
    const gate = await h.messageOf('svc-1', 'gate:go');
    const answer = approveAsSoonAsPosted({ thread: root.ts });
    expect((await h.deleteMessage(gate)).status).toBe(200);

    const said = await answer();
    expect(said).not.toContain('⚠️');
    expect(said).toContain('approved');
    await h.waitForState('svc-1', ['succeeded'], 60_000);
    const approvals = (await h.preflight.engine.store.get('svc-1'))?.gates[0]?.approvals ?? [];
    expect(approvals.map((a) => a.by)).toEqual(['ben']);
  }, 90_000);

  it('approves the gate posted again in a thread started anew, its status message deleted', async () => {
    expect((await h.command(ANN, '/deploy start svc v1.0.1 staging')).status).toBe(200);
    await h.waitForState('svc-2', ['awaiting_gates']);
    await h.messageOf('svc-2', 'gate:go');
    const status = await h.messageOf('svc-2', 'status');
    const answer = approveAsSoonAsPosted({ not: status.ts });
    expect((await h.deleteMessage(status)).status).toBe(200);

    const said = await answer();
    expect(said).not.toContain('⚠️');
    expect(said).toContain('approved');
    await h.waitForState('svc-2', ['succeeded'], 60_000);
    const anew = await h.messageOf('svc-2', 'status');
    expect(anew.ts).not.toBe(status.ts);
    const gate = await h.messageOf('svc-2', 'gate:go');
    expect(gate.threadTs).toBe(anew.ts);
  }, 90_000);
});
