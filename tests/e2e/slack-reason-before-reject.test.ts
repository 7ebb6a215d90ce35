/**
 * Slack end to end: the rejecter's reason, written in the thread right after their ❌, reaches Preflight before the
 * ❌ does (the inbox handles entries side by side, and a bot that died holding the ❌'s entry holds it back for
 * seconds). The reply is the reason all the same, by Slack's own times: written after the ❌, it is the reason, and
 * the thread does not ask for it; written before the ❌, it is conversation, whenever it is handled.
 */
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createKeySpace, type InboxEntry } from '../../src/core/index.ts';
import { inboxQueueName } from '../../src/jobs/chat-inbox-queue.ts';
import type { FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { eventCallback, threadMessageEvent } from '../helpers/signed-slack.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

/** Slack's `ts` of a moment `seconds` after `from` (ms). */
const slackTs = (from: number, seconds: number) => (from / 1000 + seconds).toFixed(6);

/** Sends Ben's reply, written at `ts`, and waits until the bot has handled it. */
async function replyHandled(root: FakeMessage, text: string, ts: string, eventId: string): Promise<void> {
  const { h } = suite;
  const event = {
    ...threadMessageEvent({ user: BEN, channel: root.channel, threadTs: root.ts, text }),
    ts,
    event_ts: ts,
  };
  expect((await h.send(eventCallback(event, eventId))).status).toBe(200);
  const queue = new Queue<InboxEntry>(inboxQueueName('slack'), {
    connection: h.preflight.connect(),
    prefix: createKeySpace(h.preflight.prefix).queuePrefix,
  });
  try {
    await h.waitFor(`the reply ${eventId} handled`, async () =>
      (await queue.getJobs(['completed'])).some((j) => j.data.id === eventId),
    );
  } finally {
    await queue.close();
  }
}

async function openGate(version: string, id: string) {
  const { h } = suite;
  await h.command(ANN, `/deploy start shop ${version}`);
  await h.waitForState(id, ['awaiting_gates']);
  return { gate: await h.messageOf(id, 'gate:go'), root: await h.messageOf(id, 'status') };
}

const reasonsOf = async (id: string) =>
  (await suite.h.preflight.engine.store.audit(id))
    .filter((r) => r.type === 'gate.rejection_reason')
    .map((r) => r.detail.reason);

describe('a rejection reason handled before the ❌ it explains', () => {
  it('is the reason when it was written after the ❌, and the thread does not ask for it', async () => {
    const { h } = suite;
    const { gate, root } = await openGate('v1.0.0', 'shop-1');
    const now = Date.now();
    const rejectedAt = slackTs(now, -3);
    await replyHandled(root, 'p99 doubled on canary', slackTs(now, -1), 'Ev0REPLYAFTER1');
    expect((await h.react(BEN, gate, 'x', { eventTs: rejectedAt })).status).toBe(200);
    await h.waitForState('shop-1', ['failed']);

    await h.waitFor('the reason', async () => (await reasonsOf('shop-1')).length > 0);
    expect(await reasonsOf('shop-1')).toEqual(['p99 doubled on canary']);
    // The thread says the reason it was given (posted with it, or corrected), and asks for nothing.
    const said = await h.waitFor('the rejection said with its reason', async () => {
      const message = await h.messageOf('shop-1', 'note:reason:go');
      const now = h.fake.messages.find((m) => m.ts === message.ts);
      return now?.text.includes('gave the reason') && now;
    });
    expect(said.text).toContain('p99 doubled on canary');
    const thread = h.fake.messages.filter((m) => m.channel === root.channel && m.threadTs === root.ts);
    expect(thread.filter((m) => m.text.includes('Please give the reason'))).toEqual([]);
    const shown = await h.waitFor('the gate message with the reason', () =>
      h.fake.messages.find((m) => m.ts === gate.ts && m.text.includes('p99 doubled on canary')),
    );
    expect(shown.text).toContain('rejected by');
  }, 60_000);

  it('is conversation when it was written before the ❌, whenever it is handled', async () => {
    const { h } = suite;
    const { gate, root } = await openGate('v1.0.1', 'shop-2');
    const now = Date.now();
    const rejectedAt = slackTs(now, -5);
    // Written before the ❌ and handled before it; then another written before it and handled after it.
    await replyHandled(root, 'let me look at the canary first', slackTs(now, -8), 'Ev0REPLYBEFORE1');
    expect((await h.react(BEN, gate, 'x', { eventTs: rejectedAt })).status).toBe(200);
    await h.waitFor('the request for the reason', async () => {
      const message = await h.messageOf('shop-2', 'note:reason:go');
      return message.text.includes('Please give the reason');
    });
    await replyHandled(root, 'hmm, p99 looks odd', slackTs(now, -6), 'Ev0REPLYBEFORE2');
    // The reply written after the ❌ is the reason, the only one.
    await replyHandled(root, 'p99 doubled on canary', slackTs(now, 0), 'Ev0REPLYAFTER2');
    await h.waitFor('the reason', async () => (await reasonsOf('shop-2')).length > 0);
    expect(await reasonsOf('shop-2')).toEqual(['p99 doubled on canary']);
  }, 60_000);
});
