/**
 * A burst of refusals whose ephemeral answers Slack refuses for good (the channel is gone to Preflight) is told to
 * the person by direct message: those messages keep Slack's per-channel pace, so Slack rate-limits none of them,
 * and each refusal reaches the person once.
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { CHANNEL_GAP_MS } from '../../src/bot/slack/slack-chat.ts';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import type { SlackHarness } from '../helpers/slack-harness.ts';
import { useSlackSuite } from '../helpers/slack-suite.ts';

const EVE = 'U0EVE0001';
const EVE_DM = `D${EVE.slice(1)}`;
const BURST = 6;
const suite = useSlackSuite(oneGateRunbook('burst'));
let h: SlackHarness;
let gate: FakeMessage;
const inDm = () => h.fake.messages.filter((m) => m.channel === EVE_DM);
const limitedPosts = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429);
afterEach(() => {
  h.fake.heal('chat.postEphemeral');
  h.fake.pace(EVE_DM, undefined);
});
beforeAll(async () => {
  h = suite.h;
  await h.command(ANN, '/deploy start burst v1.0.0');
  gate = await h.waitFor('the gate message', () =>
    h.fake.messages.find((m) => m.channel === DEPLOY_CHANNEL && m.text.includes('*Go* gate')),
  );
});

it('tells a burst of refusals by direct message at Slack’s pace: none rate-limited, none lost, none twice', async () => {
  // Slack answers 429 to posts in one channel that come in a burst (well within its pace of about one a second).
  h.fake.pace(EVE_DM, CHANNEL_GAP_MS / 2);
  // Every ephemeral answer, also those of the handlings done again, is refused: the channel is gone to Preflight.
  h.fake.fail('chat.postEphemeral', { error: 'channel_not_found' }, 1_000);
  const start = Date.now() / 1000;
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      h.react(EVE, gate, 'white_check_mark', { eventTs: (start + i / 1000).toFixed(6) }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

  await h.waitFor('every refusal in Eve’s direct messages', () => inDm().length >= BURST, 30_000);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  expect(inDm()).toHaveLength(BURST);
  for (const dm of inDm())
    expect(dm.text).toMatch(
      /^⚠️ your slack user id \(U0EVE0001\) is not among the people of the burst runbook/,
    );
  expect(limitedPosts().map((c) => c.params.channel)).toEqual([]);
  expect((await h.preflight.engine.store.get('burst-1'))?.gates[0]?.approvals).toEqual([]);
}, 60_000);

it('tells a refusal whose direct message Slack rate-limits once it may, once', async () => {
  const before = { dms: inDm().length, limited: limitedPosts().length };
  h.fake.fail('chat.postEphemeral', { error: 'channel_not_found' }, 1_000);
  h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
  expect((await h.react(EVE, gate, 'white_check_mark')).status).toBe(200);
  await h.waitFor('the refusal in Eve’s direct messages', () => inDm().length > before.dms, 30_000);
  await h.waitFor('the inbox to be empty', async () => (await h.preflight.chat.inbox.pending()) === 0);
  expect(inDm()).toHaveLength(before.dms + 1);
  expect(limitedPosts()).toHaveLength(before.limited + 1);
}, 60_000);
