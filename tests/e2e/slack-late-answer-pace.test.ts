/**
 * A late answer meant for the channel (its command's response_url had expired) keeps the channel's pace with the
 * deployment posts there: it is queued with them, under the runbook's name for the channel, so it never goes out
 * while Slack has asked Preflight to wait (a 429's Retry-After on a deployment post), and posts in the channel stay
 * a second apart (the send queue paces a channel by its key, across every process sending for it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recordEnqueued } from '../helpers/chat-send-fakes.ts';
import { DEPLOY_CHANNEL, RESPONSE_URL } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const suite = useSlackSuite(oneGateRunbook('svc', { staging: true }));
let h: SlackHarness;
beforeAll(() => {
  h = suite.h;
});

const RETRY_AFTER_S = 3;
/** Only absorbs the difference between Redis's clock and the fake server's. */
const TOLERANCE_MS = 2;

describe('a late answer in the deployments channel', () => {
  it('is queued and paced with the deployment posts there', async () => {
    const enqueued = recordEnqueued(h.preflight.chat.queue);
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: RETRY_AFTER_S }, 1);
    await h.command(ANN, '/deploy start svc v1.0.0');
    const limited = await h.waitFor('the status message rate-limited', () =>
      h.fake.calls.find((c) => c.method === 'chat.postMessage' && c.status === 429),
    );

    h.fake.fail(RESPONSE_URL, { status: 404 }, 1);
    await h.command(ANN, '/deploy lock svc staging freeze');
    const late = await h.waitFor('the late answer in the channel', () =>
      h.fake.calls.find(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.status === 200 &&
          String(c.params.text).includes('svc staging locked'),
      ),
    );
    await h.waitFor('the gate message', () =>
      h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
    );

    // Nothing was posted in the channel while Slack asked to wait, the late answer included, and the posts after
    // the wait are a second apart.
    const posts = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.params.channel === DEPLOY_CHANNEL && c.at > limited.at,
    );
    expect(posts).toContain(late);
    expect(Math.min(...posts.map((c) => c.at - limited.at))).toBeGreaterThanOrEqual(
      RETRY_AFTER_S * 1_000 - TOLERANCE_MS,
    );
    const times = posts.map((c) => c.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000 - TOLERANCE_MS);
    // One queue for the channel, which the send queue paces across every process.
    const answer = enqueued.find((d) => d.key.startsWith('answer:slack:'));
    const status = enqueued.find((d) => d.key === 'svc-1:status');
    expect(answer?.channel).toBe('slack:#deployments');
    expect(answer?.channel).toBe(status?.channel);
  }, 60_000);
});
