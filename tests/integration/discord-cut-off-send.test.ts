/**
 * A Discord post whose process died between Discord's doing it and Discord's answer: a retry soon after sends the
 * same nonce and gets the message back; a retry after Discord forgot the nonce (the bot was down for minutes)
 * finds the message by its text and buttons among the bot's own, instead of posting it again.
 */
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordChannelDirectory } from '../../src/bot/discord/discord-channels.ts';
import { createDiscordChat } from '../../src/bot/discord/discord-chat.ts';
import { buildDiscordMessage } from '../../src/bot/discord/discord-message.ts';
import { discordRestOptions } from '../../src/bot/discord/discord-rest.ts';
import { postOnce } from '../../src/bot/send/post-once.ts';
import type { ChatMessage, ChatPort, MessageIndex, MessageRef } from '../../src/core/index.ts';
import { createRedisMessageIndex } from '../../src/infra/redis/redis-message-index.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../helpers/fake-discord.ts';
import { NONCE_KEPT_MS, nextSnowflake } from '../helpers/fake-discord-state.ts';
import { useTestRedisClient } from '../helpers/redis-client-suite.ts';
import { createTestPrefix } from '../helpers/redis-server.ts';

const redis = useTestRedisClient();
let fake: FakeDiscord;
let chat: ChatPort;
let index: MessageIndex;

beforeEach(async () => {
  fake = await startFakeDiscord();
  const rest = new REST(discordRestOptions(fake.apiUrl)).setToken(fake.token);
  chat = createDiscordChat({
    rest,
    channels: createDiscordChannelDirectory({ rest, guildIds: () => [GUILD_ID] }),
  });
  index = createRedisMessageIndex({ redis: redis.client(), prefix: createTestPrefix() });
});
afterEach(async () => {
  await fake.close();
});

const gate: ChatMessage = {
  text: '🔐 *Security* approval for toy v1.3.0: react ✅ to approve',
  buttons: [
    { action: 'gate.approve', label: 'Approve', value: 'toy-1:security', style: 'primary' },
    { action: 'gate.reject', label: 'Reject', value: 'toy-1:security', style: 'danger' },
  ],
};

const send = (key: string, message: ChatMessage, thread?: MessageRef) =>
  postOnce({
    port: chat,
    index,
    owner: 'toy-1',
    key,
    channel: '#deployments',
    message,
    ...(thread && { thread }),
    now: Date.now(),
  });

/** The first attempt: Discord made the message, the process died before it recorded it. */
async function cutOff(key: string, message: ChatMessage, agoMs: number, thread?: MessageRef) {
  await index.noteAttempt('toy-1', key, Date.now() - agoMs);
  const made = await chat.post('#deployments', message, thread, { deliveryId: `toy-1:${key}` });
  const kept = fake.world.message(made.id);
  // Made `agoMs` ago: past NONCE_KEPT_MS, Discord (and the fake) no longer answers its nonce.
  if (kept) Object.assign(kept, { at: Date.now() - agoMs });
  return made;
}

describe('a Discord send cut off before Discord answered', () => {
  it('is sent again with the same nonce soon after, and Discord answers with the message it made', async () => {
    const made = await cutOff('gate:security', gate, 5_000);
    const again = await send('gate:security', gate);
    expect(again.id).toBe(made.id);
    expect(fake.world.messages).toHaveLength(1);
    // Within the nonce's minute nothing is listed: the resend is the lookup.
    expect(fake.world.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/messages'))).toEqual([]);
  });

  it('is found by its text and buttons when Discord has forgotten the nonce, at the top and in a thread', async () => {
    const agoMs = NONCE_KEPT_MS + 60_000;
    const status = await cutOff('status', { text: '📋 *toy v1.3.0 → production* (toy-1)' }, agoMs);
    const foundStatus = await send('status', { text: '📋 *toy v1.3.0 → production* (toy-1)' });
    expect(foundStatus).toEqual({ platform: 'discord', channel: DEPLOY_CHANNEL_ID, id: status.id });
    const reply = await cutOff('gate:security', gate, agoMs, foundStatus);
    const foundReply = await send('gate:security', gate, foundStatus);
    expect(foundReply).toEqual({ platform: 'discord', channel: status.id, id: reply.id, thread: status.id });
    expect(fake.world.messages).toHaveLength(2);
    // Recorded now: the next try does not even ask Discord.
    expect(await index.find('toy-1', 'gate:security')).toEqual(foundReply);
  });

  it('is not taken for the same text written by a person, nor for a copy from before its first attempt', async () => {
    const agoMs = NONCE_KEPT_MS + 60_000;
    await index.noteAttempt('toy-1', 'gate:security', Date.now() - agoMs);
    const early = Date.now() - agoMs - 10 * 60_000;
    const built = buildDiscordMessage(gate).body;
    const copy = (author: string | undefined, at: number) =>
      fake.world.messages.push({
        id: nextSnowflake(at),
        channel_id: DEPLOY_CHANNEL_ID,
        content: built.content,
        components: built.components,
        attachments: [],
        edits: 0,
        at,
        ...(author !== undefined && { author }),
      });
    copy('1270000000000000555', Date.now() - 60_000);
    copy(undefined, early);
    const posted = await send('gate:security', gate);
    const made = fake.world.message(posted.id);
    expect(made?.at).toBeGreaterThan(Date.now() - 60_000);
    expect(made?.content).toBe('🔐 **Security** approval for toy v1.3.0: react ✅ to approve');
    expect(fake.world.messages.filter((m) => m.content === built.content)).toHaveLength(3);
    // It did look: the two copies were listed and passed over.
    expect(fake.world.calls.some((c) => c.method === 'GET' && c.path.endsWith('/messages'))).toBe(true);
  });

  it('is not taken for an identical post of another delivery, so two posts that read the same both go out', async () => {
    const agoMs = NONCE_KEPT_MS + 60_000;
    const note = { text: '⏳ waiting for the deployment window' };
    await index.noteAttempt('toy-1', 'note:2', Date.now() - agoMs);
    // The first note went out and was recorded; the second's first attempt died before Discord made it.
    const first = await send('note:1', note);
    const second = await send('note:2', note);
    expect(second.id).not.toBe(first.id);
    expect(fake.world.messages.filter((m) => m.content === note.text)).toHaveLength(2);
  });

  it('in a direct message is found there too, so a page is not sent to a person twice', async () => {
    const dmChannel = await chat.directChannel?.('200000000000000002');
    if (dmChannel === undefined) throw new Error('the Discord port opens no direct-message channel');
    const page = { text: '🚨 INC-1: you are paged (L1)' };
    const sendPage = () =>
      postOnce({
        port: chat,
        index,
        owner: 'INC-1',
        key: 'dm:bob',
        channel: dmChannel,
        message: page,
        now: Date.now(),
      });
    const agoMs = NONCE_KEPT_MS + 60_000;
    await index.noteAttempt('INC-1', 'dm:bob', Date.now() - agoMs);
    const made = await chat.post(dmChannel, page, undefined, { deliveryId: 'INC-1:dm:bob' });
    const kept = fake.world.message(made.id);
    if (kept) Object.assign(kept, { at: Date.now() - agoMs });
    expect((await sendPage()).id).toBe(made.id);
    expect(fake.world.messages.filter((m) => m.channel_id === dmChannel)).toHaveLength(1);
  });
});
