/** SlackChat (the ChatPort on Slack) against the fake Slack Web API, with the WebClient configured as in production. */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/bot/dispatch.ts';
import { createChannelPacer } from '../../src/bot/slack/channel-pacer.ts';
import { createSlackApp, slackClientOptions } from '../../src/bot/slack/slack-app.ts';
import { createSlackChat } from '../../src/bot/slack/slack-chat.ts';
import { type ChatPort, ChatSendError } from '../../src/core/index.ts';
import { createRedactor } from '../../src/core/redact/redactor.ts';
import { DEPLOY_CHANNEL, type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.ts';

let fake: FakeSlackApi;
let chat: ChatPort;
const logged: string[] = [];
const log = {
  debug: () => {},
  info: () => {},
  warn: (_o: object, m?: string) => logged.push(`warn ${m}`),
  error: (_o: object, m?: string) => logged.push(`error ${m}`),
};

beforeEach(async () => {
  fake = await startFakeSlackApi();
  const api = new webApi.WebClient('xoxb-test-token', slackClientOptions(fake.apiUrl));
  chat = createSlackChat({
    api,
    log,
    redactor: { redact: (t) => t.replaceAll('hunter2', '[redacted]') },
    pacer: createChannelPacer({ minGapMs: 0 }),
  });
});
afterEach(async () => {
  await fake.close();
  logged.length = 0;
});

const methods = () => fake.calls.map((c) => c.method);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a ChatSendError');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ChatSendError);
      return error as ChatSendError;
    },
  );

describe('posting', () => {
  it('resolves a channel name through every page of conversations.list, joins it once, and posts', async () => {
    const root = await chat.post('#deployments', { text: 'status password=hunter2' });
    const reply = await chat.post('#deployments', { text: 'a reply' }, root);
    const nested = await chat.post('#deployments', { text: 'another' }, reply);
    expect(root).toEqual({ platform: 'slack', channel: DEPLOY_CHANNEL, id: expect.any(String) });
    expect(reply).toEqual({
      platform: 'slack',
      channel: DEPLOY_CHANNEL,
      id: expect.any(String),
      thread: root.id,
    });
    expect(nested.thread).toBe(root.id);
    expect(methods()).toEqual([
      'conversations.list',
      'conversations.list',
      'conversations.list',
      'conversations.join',
      'chat.postMessage',
      'chat.postMessage',
      'chat.postMessage',
    ]);
    expect(fake.message(DEPLOY_CHANNEL, root.id)?.text).toBe('status password=[redacted]');
    expect(fake.calls[4]?.params).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' });
  });

  it('refuses a message for a channel that does not exist (yet), naming it', async () => {
    const error = await failure(chat.post('#nowhere', { text: 'hi' }));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('Slack channel #nowhere was not found');
    expect(error.message).toContain('/invite @Preflight');
  });

  it('refuses with an invitation hint when Preflight is not in the channel', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel' }, 1);
    const error = await failure(chat.post('#deployments', { text: 'hi' }));
    expect([error.kind, error.message]).toEqual([
      'refused',
      'cannot post to #deployments: Slack answered not_in_channel; Preflight is not a member of that channel: invite it there with /invite @Preflight',
    ]);
  });

  it("keeps Slack's reason for a refused token through the secret redactor, and says what to check", async () => {
    const redactor = createRedactor({});
    const said = [];
    for (const code of ['invalid_auth', 'token_revoked']) {
      fake.fail('chat.postMessage', { error: code }, 1);
      said.push(redactor.redact((await failure(chat.post('#deployments', { text: 'hi' }))).message));
    }
    expect(said).toEqual([
      'cannot post to #deployments: Slack answered invalid_auth; the bot token was refused: check SLACK_BOT_TOKEN and that the app is still installed',
      'cannot post to #deployments: Slack answered token_revoked; the bot token was refused: check SLACK_BOT_TOKEN and that the app is still installed',
    ]);
  });

  it('hands a 429 to the queue with its Retry-After, and a 500 as retry, without retrying by itself', async () => {
    await chat.post('#deployments', { text: 'warm up' });
    const before = fake.calls.length;
    fake.fail('chat.postMessage', { status: 429, retryAfter: 3 }, 1);
    const limited = await failure(chat.post('#deployments', { text: 'hi' }));
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate-limited', 3_000]);
    fake.fail('chat.update', { status: 500 }, 1);
    const broken = await failure(
      chat.update({ platform: 'slack', channel: DEPLOY_CHANNEL, id: '1.2' }, { text: 'x' }),
    );
    expect(broken.kind).toBe('retry');
    expect(fake.calls.length - before).toBe(2);
  });
});

describe('edits, reactions, direct messages and files', () => {
  it('edits, reacts (a repeated reaction is fine) and opens a direct message once per person', async () => {
    const ref = await chat.post('#deployments', { text: 'one' });
    await chat.update(ref, { text: 'two' });
    await chat.react(ref, 'eyes');
    await chat.react(ref, 'eyes');
    expect(fake.message(DEPLOY_CHANNEL, ref.id)).toMatchObject({
      text: 'two',
      updates: 1,
      reactions: ['eyes'],
    });
    const dm = await chat.directMessage('U0BOB0001', { text: 'you are paged' });
    await chat.directMessage('U0BOB0001', { text: 'still paged' });
    expect(dm.channel).toBe('D0BOB0001');
    expect(methods().filter((m) => m === 'conversations.open')).toHaveLength(1);
    expect(chat.mention('U0BOB0001', 'Bob')).toBe('<@U0BOB0001>');
    expect(chat.mention(undefined, 'Bob')).toBe('Bob');
    expect(chat.userIdOf('bob', { name: 'Bob', slack: 'U0BOB0001' })).toBe('U0BOB0001');
  });

  it('uploads an attachment into the thread, and says so on the message when the upload is refused', async () => {
    const root = await chat.post('#deployments', { text: 'status' });
    const step = await chat.post(
      '#deployments',
      { text: 'step output', attachment: { name: 'step.log', content: 'line\n'.repeat(100) } },
      root,
    );
    const complete = fake.calls.find((c) => c.method === 'files.completeUploadExternal');
    expect(complete?.params).toMatchObject({ channel_id: DEPLOY_CHANNEL, thread_ts: root.id });
    expect(fake.uploads[0]?.raw).toContain('line\nline\n');

    fake.fail('files.getUploadURLExternal', { error: 'missing_scope' }, 1);
    await chat.post(
      '#deployments',
      { text: 'more output', attachment: { name: 'b.log', content: 'x' } },
      root,
    );
    const noted = fake.messages.at(-1);
    expect(JSON.stringify(noted?.blocks)).toContain('b.log could not be attached');
    expect(logged).toContain('error upload failed');
    expect(step.thread).toBe(root.id);
  });
});

describe('the app factory', () => {
  const inbox = { record: async () => {} };
  it('uses Socket Mode when an app token is given, and mounts no HTTP handler then', () => {
    const dispatcher = {} as Dispatcher;
    const socket = createSlackApp({
      mode: 'socket',
      botToken: 'xoxb-test',
      appToken: 'xapp-test',
      apiUrl: fake.apiUrl,
      dispatcher,
      inbox,
      log,
    });
    const http = createSlackApp({
      mode: 'http',
      botToken: 'xoxb-test',
      signingSecret: 's',
      apiUrl: fake.apiUrl,
      dispatcher,
      inbox,
      log,
    });
    expect([socket.mode, socket.requestListener]).toEqual(['socket', undefined]);
    expect([http.mode, typeof http.requestListener]).toEqual(['http', 'function']);
  });

  it('explains a refused token, or an unreachable Slack, at start', async () => {
    const app = createSlackApp({
      mode: 'http',
      botToken: 'xoxp-not-a-bot-token',
      signingSecret: 's',
      apiUrl: fake.apiUrl,
      dispatcher: {} as Dispatcher,
      inbox,
      log,
    });
    await expect(app.start()).rejects.toThrow(
      /Slack refused the bot token \(auth.test answered not_authed\); check SLACK_BOT_TOKEN/,
    );
    const unreachable = createSlackApp({
      mode: 'http',
      botToken: 'xoxb-test',
      signingSecret: 's',
      apiUrl: 'http://127.0.0.1:1/api/',
      dispatcher: {} as Dispatcher,
      inbox,
      log,
    });
    await expect(unreachable.start()).rejects.toThrow(
      /^could not reach the Slack Web API at http:\/\/127.0.0.1:1\/api\/ \(SLACK_API_URL\): /,
    );
  });
});
