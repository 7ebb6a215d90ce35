/**
 * A ✅ on a message an earlier Preflight posted, after it was started again on fresh Redis data: the message index
 * has no record of it, so nothing is done, and the person is told so at once (not after a minute of retries ending
 * in an error in the log). A ✅ on a person's own message in the channel is nothing to Preflight: no answer, no retry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_CHANNEL, type FakeMessage } from '../helpers/fake-slack-api.ts';
import { ANN, BEN, oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { eventCallback, reactionEvent } from '../helpers/signed-slack.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';

let redis: TestRedis;
let dir: string;
let h: SlackHarness | undefined;

/** A Preflight on its own key prefix: to it, the Redis is fresh. */
const startPreflight = () =>
  startSlackHarness({ redisUrl: redis.url, runbookPath: join(dir, 'runbook.yaml') });

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-stale-reaction-'));
  await writeFile(join(dir, 'runbook.yaml'), oneGateRunbook('stale'));
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const emptyInbox = (s: SlackHarness) =>
  s.waitFor('the inbox to be empty', async () => (await s.preflight.chat.inbox.pending()) === 0, 20_000);

describe('a reaction on a message Preflight has no record of', () => {
  let oldGate: FakeMessage;

  beforeAll(async () => {
    const before = await startPreflight();
    await before.command(ANN, '/deploy start stale v1.0.0');
    oldGate = await before.waitFor('the first run’s gate', () =>
      before.fake.messages.find((m) => m.text.includes('*Go* gate')),
    );
    await before.stop();
    h = await startPreflight();
    await h.command(ANN, '/deploy start stale v2.0.0');
    await h.waitForState('stale-1', ['awaiting_gates']);
  });

  it('✅ on the old gate tells the person it did nothing and what to use; the new gate still waits', async () => {
    const s = h as SlackHarness;
    expect((await s.react(BEN, oldGate, 'white_check_mark')).status).toBe(200);
    const whisper = await s.waitFor('the answer to the reaction', () =>
      s.fake.calls.find((c) => c.method === 'chat.postEphemeral' && c.params.user === BEN),
    );
    expect(whisper.params).toMatchObject({
      channel: DEPLOY_CHANNEL,
      text: '⚠️ this message is not one Preflight has a record of (posted before its data was reset, or more than 90 days ago), so your reaction did nothing. Find the current message with `/deploy status` or `/incident status` and react there, or use the command.',
    });
    await emptyInbox(s);
    expect(s.logs.join('')).not.toContain('inbox entry given up');
    const d = await s.preflight.engine.store.get('stale-1');
    expect(d?.gates.map((g) => [g.id, g.status, g.approvals.length])).toEqual([['go', 'pending', 0]]);
  });

  it('✅ on a person’s message is left alone: no answer, nothing waiting to be tried again', async () => {
    const s = h as SlackHarness;
    const event = {
      ...reactionEvent({
        user: ANN,
        channel: DEPLOY_CHANNEL,
        ts: '1700000000.000100',
        emoji: 'white_check_mark',
      }),
      item_user: BEN,
    };
    expect((await s.send(eventCallback(event, 'EvPERSONMSG1'))).status).toBe(200);
    await emptyInbox(s);
    expect(s.fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.params.user === ANN)).toEqual(
      [],
    );
    expect(s.logs.join('')).not.toContain('inbox entry given up');
  });
});
