/**
 * The Discord chat port over the real @discordjs/rest client against the fake Discord REST API: threads, a
 * resend that cannot double, long text attached whole, buttons within Discord's limits, and rate limits handed
 * to the send queue as ChatSendError with Discord's wait.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannelDirectory } from '../../src/bot/discord/discord-channels.ts';
import { createDiscordChat, threadNameOf } from '../../src/bot/discord/discord-chat.ts';
import { discordRestOptions } from '../../src/bot/discord/discord-rest.ts';
import { type ChatPort, ChatSendError, type Redactor } from '../../src/core/index.ts';
import { createRedactor } from '../../src/core/redact/redactor.ts';
import { DEPLOY_CHANNEL_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../helpers/fake-discord.ts';

let fake: FakeDiscord;
let port: ChatPort;
/** A chat port on the fake, with the token given (the fake's by default) and a redactor if given. */
const portWith = (options: { token?: string; redactor?: Redactor } = {}): ChatPort => {
  const rest = new REST(discordRestOptions(fake.apiUrl)).setToken(options.token ?? fake.token);
  return createDiscordChat({
    rest,
    channels: createDiscordChannelDirectory({ rest, guildIds: () => [GUILD_ID] }),
    ...(options.redactor && { redactor: options.redactor }),
  });
};
beforeAll(async () => {
  fake = await startFakeDiscord();
  port = portWith();
});
afterAll(async () => {
  await fake?.close();
});

describe('the Discord chat port', () => {
  it('posts by channel name, starts one thread from the root on the first reply, and replies in it', async () => {
    const root = await port.post('#deployments', { text: '📋 *toy v1.3.0 → production* (toy-9): checklist' });
    expect(root).toMatchObject({ platform: 'discord', channel: DEPLOY_CHANNEL_ID });
    const first = await port.post('#deployments', { text: 'one' }, root);
    const second = await port.post('#deployments', { text: 'two' }, root);
    expect(first).toEqual({ platform: 'discord', channel: root.id, id: first.id, thread: root.id });
    expect(second.channel).toBe(root.id);
    const threads = fake.world.calls.filter((c) => c.path.endsWith('/threads'));
    expect(threads).toHaveLength(1);
    expect(threads[0]?.body).toEqual({
      name: '📋 toy v1.3.0 → production (toy-9): checklist',
      auto_archive_duration: 1440,
    });
    expect(fake.world.message(root.id)?.content).toBe('📋 **toy v1.3.0 → production** (toy-9): checklist');
  });

  it('sends a post with the same delivery id once, however often it is tried (nonce + enforce_nonce)', async () => {
    const a = await port.post('#deployments', { text: 'gate' }, undefined, {
      deliveryId: 'toy-9:gate:security',
    });
    const b = await port.post('#deployments', { text: 'gate' }, undefined, {
      deliveryId: 'toy-9:gate:security',
    });
    expect(b.id).toBe(a.id);
    expect(fake.world.messages.filter((m) => m.content === 'gate')).toHaveLength(1);
  });

  it('cuts text over 2,000 characters at a line and attaches the whole text; keeps buttons within 5 rows of 5', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} of the step output`);
    const buttons = Array.from({ length: 30 }, (_, i) => ({
      action: 'decide' as const,
      label: `Choice ${i} ${'x'.repeat(100)}`,
      value: `toy-9:c${i}`,
    }));
    const ref = await port.post('#deployments', { text: lines.join('\n'), buttons });
    const message = fake.world.message(ref.id);
    expect(message?.content.length).toBeLessThanOrEqual(2_000);
    expect(message?.content).toMatch(/line 0 of the step output\n/);
    expect(message?.content).toMatch(/\n… \(the whole text is attached as message\.txt\)$/);
    expect(message?.attachments.map((a) => [a.filename, a.content])).toEqual([
      ['message.txt', lines.join('\n')],
    ]);
    const rows = message?.components as { components: { label: string; custom_id: string }[] }[];
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.components.length === 5)).toBe(true);
    expect(
      rows.flatMap((r) => r.components).every((b) => b.label.length <= 80 && b.custom_id.length <= 100),
    ).toBe(true);
  });

  it('names a thread after its root message as chat shows it: a credential in the first line is masked there too', async () => {
    const masked = portWith({ redactor: createRedactor({ secrets: ['s3cret-value-42'] }) });
    const root = await masked.post('#deployments', {
      text: '📋 *toy AKIAIOSFODNN7EXAMPLE → production* (toy-8) s3cret-value-42\nchecklist',
    });
    await masked.post('#deployments', { text: 'one' }, root);
    const started = fake.world.calls.find(
      (c) => c.path === `/channels/${DEPLOY_CHANNEL_ID}/messages/${root.id}/threads`,
    );
    const shown = fake.world.message(root.id)?.content ?? '';
    expect(shown).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(started?.body.name).toBe(threadNameOf(shown));
    expect(String(started?.body.name)).toContain('(toy-8)');
    expect(String(started?.body.name)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|s3cret-value-42/);
  });

  it('names a thread after a long first line without cutting through an emoji', async () => {
    // An incident's first line holds what the person typed (up to 500 characters): an emoji where the name is cut.
    const what = `${'x'.repeat(69)}🔥🔥🔥 the database is down`;
    const root = await port.post('#incident-response', {
      text: `🚨 *INC-7* toy production: ${what}\nState: open`,
    });
    await port.post('#incident-response', { text: 'paged' }, root);
    const started = fake.world.calls.find((c) => c.path.endsWith(`/messages/${root.id}/threads`));
    const name = String(started?.body.name);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.isWellFormed()).toBe(true);
    expect(name).toMatch(/^🚨 INC-7 toy production: x{69}🔥🔥…$/);
  });

  it('hands a 429 back as rate-limited with Discord retry_after, and names a channel that does not exist', async () => {
    fake.rateLimitOnce(/\/messages$/, 2);
    const limited = await port.post('#deployments', { text: 'soon' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ChatSendError);
    expect(limited).toMatchObject({ kind: 'rate-limited' });
    expect((limited as ChatSendError).retryAfterMs).toBeGreaterThanOrEqual(2_000);

    const missing = await port.post('#no-such-channel', { text: 'x' }).catch((e: unknown) => e);
    // Refused until someone creates it or lets the bot see it: its messages wait for that.
    expect(missing).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining("Discord channel #no-such-channel was not found in the bot's server"),
    });
  });

  it("keeps Discord's refusal of the token through the secret redactor, and says what to check", async () => {
    const refused = portWith({ token: 'not-the-token' });
    const error = await refused.post(DEPLOY_CHANNEL_ID, { text: 'x' }).catch((e: unknown) => e);
    expect(createRedactor({}).redact((error as Error).message)).toBe(
      `cannot post to ${DEPLOY_CHANNEL_ID}: Discord answered 0 (401: Unauthorized); Discord refused the bot token; check DISCORD_TOKEN`,
    );
  });

  it('stops before Discord has to say 429 when the route’s headers say its bucket is empty (5 per 5 s)', async () => {
    const burst = '1270000000000000199';
    fake.world.channels.set(burst, { id: burst, name: 'burst', type: 0 });
    for (let i = 0; i < 5; i++) await port.post(burst, { text: `burst ${i}` });
    const sixth = await port.post(burst, { text: 'burst 5' }).catch((e: unknown) => e);
    expect(sixth).toMatchObject({ kind: 'rate-limited' });
    expect((sixth as ChatSendError).retryAfterMs).toBeGreaterThan(0);
    const calls = fake.world.calls.filter((c) => c.path === `/channels/${burst}/messages`);
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
