/**
 * Slack end to end: the rejecter answers "Please give the reason" with a screenshot and a line of text. Slack sends
 * such a reply as a message of subtype `file_share`; it is the reason, as a reply without a file would be, and the
 * thread is not left asking for one.
 */
import { expect, it } from 'vitest';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { eventCallback, threadMessageEvent } from '../helpers/signed-slack.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('shop'));

it('takes a reply that carries a file as the rejection reason', async () => {
  const { h } = suite;
  await h.command(ANN, '/deploy start shop v1.0.0');
  await h.waitForState('shop-1', ['awaiting_gates']);
  await h.react(BEN, await h.messageOf('shop-1', 'gate:go'), 'x');
  await h.waitForState('shop-1', ['failed']);
  const root = await h.messageOf('shop-1', 'status');

  const reply = threadMessageEvent({
    user: BEN,
    channel: root.channel,
    threadTs: root.ts,
    text: 'p99 doubled on canary, see graph',
  });
  const withFile = {
    ...reply,
    subtype: 'file_share',
    files: [{ id: 'F0GRAPH01', name: 'p99.png', mimetype: 'image/png' }],
    upload: false,
  };
  expect((await h.send(eventCallback(withFile, 'Ev0FILE0001'))).status).toBe(200);

  const recorded = await h.waitFor('the reason', async () =>
    (await h.preflight.engine.store.audit('shop-1')).find((r) => r.type === 'gate.rejection_reason'),
  );
  expect(recorded.detail).toMatchObject({ reason: 'p99 doubled on canary, see graph' });
});
