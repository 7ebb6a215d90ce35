/**
 * A post whose process died between Slack's doing it and Slack's answer: the next attempt finds it by the
 * delivery id in its metadata instead of posting it again, and a post doubled anyway keeps its first copy.
 */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postOnce, threadRoot } from '../../src/bot/send/post-once.ts';
import { createChannelPacer } from '../../src/bot/slack/channel-pacer.ts';
import { slackClientOptions } from '../../src/bot/slack/slack-app.ts';
import { createSlackChat } from '../../src/bot/slack/slack-chat.ts';
import { type ChatPort, ChatSendError, type MessageIndex } from '../../src/core/index.ts';
import { createRedisMessageIndex } from '../../src/infra/redis/redis-message-index.ts';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const redis = useTestRedisClient();
let fake: FakeSlackApi;
let chat: ChatPort;
let index: MessageIndex;
const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

beforeEach(async () => {
  fake = await startFakeSlackApi();
  const api = new webApi.WebClient('xoxb-test-token', slackClientOptions(fake.apiUrl));
  chat = createSlackChat({ api, log, pacer: createChannelPacer({ minGapMs: 0 }) });
  index = createRedisMessageIndex({ redis: redis.client(), prefix: createTestPrefix() });
});
afterEach(async () => {
  await fake.close();
});

const send = (key: string, text: string, thread?: Awaited<ReturnType<ChatPort['post']>>) =>
  postOnce({
    port: chat,
    index,
    owner: 'gated-1',
    key,
    channel: '#deployments',
    message: { text },
    ...(thread && { thread }),
    now: Date.now(),
  });

describe('a send cut off before Slack answered', () => {
  it('is found by its delivery id in the channel and in the thread, not posted twice', async () => {
    const status = await send('status', 'status v1');
    expect(fake.messages[0]?.metadata).toEqual({
      event_type: 'preflight_delivery',
      event_payload: { delivery: 'gated-1:status' },
    });
    // First attempt of a thread reply: Slack posts it, the process never records it.
    await index.noteAttempt('gated-1', 'gate:go', Date.now());
    await chat.post('#deployments', { text: 'gate go' }, status, { deliveryId: 'gated-1:gate:go' });
    const again = await send('gate:go', 'gate go', status);
    const gates = fake.messages.filter((m) => m.text === 'gate go');
    expect(gates).toHaveLength(1);
    expect(again).toEqual({
      platform: 'slack',
      channel: DEPLOY_CHANNEL,
      id: gates[0]?.ts,
      thread: status.id,
    });
    expect(fake.calls.map((c) => c.method)).toContain('conversations.replies');
    // A top-level post cut off the same way is found through conversations.history.
    await index.noteAttempt('gated-1', 'incident', Date.now());
    await chat.post('#deployments', { text: 'top' }, undefined, { deliveryId: 'gated-1:incident' });
    await send('incident', 'top');
    expect(fake.messages.filter((m) => m.text === 'top')).toHaveLength(1);
    expect(await index.lookup('slack', DEPLOY_CHANNEL, gates[0]?.ts ?? '')).toEqual({
      deploymentId: 'gated-1',
      key: 'gate:go',
    });
  });

  it('keeps the first copy of a doubled post and deletes the stray', async () => {
    const status = await send('status', 'status v1');
    await index.noteAttempt('gated-1', 'report', Date.now());
    for (const _ of [1, 2])
      await chat.post('#deployments', { text: 'report' }, status, { deliveryId: 'gated-1:report' });
    const [first, second] = fake.messages.filter((m) => m.text === 'report');
    const kept = await send('report', 'report', status);
    expect(kept.id).toBe(first?.ts);
    expect(fake.messages.filter((m) => m.text === 'report')).toHaveLength(1);
    expect(fake.deleted.map((m) => m.ts)).toEqual([second?.ts]);
  });

  it('posts after a lookup that finds nothing, and posts nothing while the lookup fails', async () => {
    const status = await send('status', 'status v1');
    await index.noteAttempt('gated-1', 'step:a', Date.now());
    fake.fail('conversations.replies', { status: 429, retryAfter: 2 }, 1);
    fake.fail('conversations.replies', { status: 500 }, 1);
    const limited = await send('step:a', 'step a', status).catch((e: unknown) => e);
    // The post may have gone out: the queue is told it is unsure, and when to look again.
    expect(limited).toBeInstanceOf(ChatSendError);
    expect((limited as ChatSendError).kind).toBe('unsure');
    expect((limited as ChatSendError).retryAfterMs).toBe(2_000);
    const failed = await send('step:a', 'step a', status).catch((e: unknown) => e);
    expect((failed as ChatSendError).kind).toBe('unsure');
    expect(fake.messages.filter((m) => m.text === 'step a')).toHaveLength(0);
    await send('step:a', 'step a', status);
    expect(fake.messages.filter((m) => m.text === 'step a')).toHaveLength(1);
  });

  it('keeps a reply in doubt while its thread’s first message was tried and is not known, not once refused', async () => {
    expect(await threadRoot(index, 'gated-1', 'status')).toBeUndefined();
    await index.noteAttempt('gated-1', 'status', Date.now());
    const waiting = await threadRoot(index, 'gated-1', 'status').catch((e: unknown) => e);
    expect((waiting as ChatSendError).kind).toBe('unsure');
    // Slack refuses the status message: nothing went out, so its replies are not held for it.
    fake.fail('chat.postMessage', { error: 'invalid_blocks' }, 1);
    const refused = await send('status', 'status v1').catch((e: unknown) => e);
    expect((refused as ChatSendError).kind).toBe('drop');
    expect(await threadRoot(index, 'gated-1', 'status')).toBeUndefined();
    const status = await send('status', 'status v1');
    expect(await threadRoot(index, 'gated-1', 'status')).toEqual(status);
  });

  it('counts a post cut off as unconfirmed on Slack until it is saved or refused: a ✅ on an unknown message waits only then', async () => {
    expect(await index.unconfirmed('slack')).toBe(false);
    fake.fail('chat.postMessage', { status: 500 }, 1);
    await expect(send('status', 'status v1')).rejects.toBeInstanceOf(ChatSendError);
    expect(await index.unconfirmed('slack')).toBe(true);
    expect(await index.unconfirmed('discord')).toBe(false);
    await send('status', 'status v1');
    expect(await index.unconfirmed('slack')).toBe(false);
    fake.fail('chat.postMessage', { error: 'invalid_blocks' }, 1);
    await expect(send('report', 'report')).rejects.toBeInstanceOf(ChatSendError);
    expect(await index.unconfirmed('slack')).toBe(false);
  });
});
