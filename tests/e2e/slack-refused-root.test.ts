/**
 * Slack refused a deployment's status message (the channel was archived, a permission missing) and the cause was
 * then fixed: the messages that follow go in a thread under a status message posted then, never scattered at the
 * top of the channel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { blockAction, postToSlackEndpoint } from '../helpers/signed-slack.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('rooted'));
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

describe('a status message Slack refused', () => {
  it('is posted again before the next message of its thread, which goes under it', async () => {
    h.fake.fail('chat.postMessage', { error: 'is_archived' }, 1);
    expect((await h.command(ANN, '/deploy start rooted v1.0.0')).status).toBe(200);
    const gate = await h.waitFor('the gate prompt', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    const status = h.fake.messages.find((m) => m.ts === gate.threadTs);
    expect(status?.text).toContain('rooted v1.0.0');
    expect(status?.threadTs).toBeUndefined();
    // Everything else of the deployment is in that thread.
    const topLevel = h.fake.messages.filter((m) => m.threadTs === undefined && m.channel === status?.channel);
    expect(topLevel).toEqual([status]);
    // Ann, who asked, was told directly while nobody could see the thread.
    const told = h.fake.messages.filter((m) => m.channel.startsWith('D') && m.text.includes('rooted-1'));
    expect(told.map((m) => m.text.split(' (')[0])).toEqual([
      "⚠️ Preflight's posts in #deployments are refused",
    ]);
  });

  it('answers a button it does not know (an older version’s) with 200, and tells the person nothing was done', async () => {
    const gate = await h.waitFor('the gate prompt', () =>
      h.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    const tag = 'unknown-button';
    const answer = await postToSlackEndpoint(
      `${h.base}/slack/events`,
      blockAction({
        user: ANN,
        channel: gate.channel,
        messageTs: gate.ts,
        actionId: 'gate.frobnicate',
        value: 'rooted-1:go',
        responseUrl: h.fake.responseUrl(tag),
      }),
    );
    expect(answer.status).toBe(200);
    const told = await h.waitFor('the answer', () => h.fake.responses.find((r) => r.tag === tag));
    expect(told.body).toMatchObject({
      response_type: 'ephemeral',
      text: '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done',
    });
    const d = await h.preflight.engine.store.get('rooted-1');
    expect(d?.gates[0]?.approvals).toEqual([]);
  });
});
