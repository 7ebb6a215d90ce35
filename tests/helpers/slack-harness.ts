/**
 * Preflight with the real Bolt app on Preflight's HTTP server (random port), talking to a fake Slack Web API, and
 * driven only by signed HTTP requests to POST /slack/events: what Slack itself would send.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { readBackPlatforms } from '../../src/cli/chat-adapters.ts';
import { listenPublicly } from '../../src/cli/serve-http.ts';
import { startSlack } from '../../src/cli/start-slack.ts';
import { readConfig } from '../../src/config/config.ts';
import type { Deployment } from '../../src/core/index.ts';
import type { HttpLimits } from '../../src/infra/http/http-limits.ts';
import { createHttpServer, type HttpServer } from '../../src/infra/http/http-server.ts';
import { createPreflight, type Preflight } from '../../src/main.ts';
import { FAST_TUNING } from './engine-harness.ts';
import { DEPLOY_CHANNEL, type FakeMessage, type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { attachFakeSocketMode, type FakeSocketMode } from './fake-slack-socket.ts';
import { createTestPrefix } from './redis-server.ts';
import {
  blockAction,
  deletionEvent,
  eventCallback,
  postToSlackEndpoint,
  reactionEvent,
  SIGNING_SECRET,
  type SignOptions,
  type SlackRequest,
  threadMessageEvent,
  typedCommand,
} from './signed-slack.ts';

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

export interface SlackHarness {
  readonly preflight: Preflight;
  readonly fake: FakeSlackApi;
  readonly http: HttpServer;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  readonly logs: string[];
  /** In Socket Mode: the fake's WebSocket side. */
  readonly socket?: FakeSocketMode;
  /** Any signed (or forged) request to POST /slack/events. */
  send(request: SlackRequest, options?: SignOptions): Promise<Answer>;
  /**
   * A slash command; the reply arrives at `fake.responses` under the returned tag. This and the other things people
   * do (react, click, replyInThread) reach the bot as in its mode: over HTTP, or in Socket Mode over the WebSocket.
   */
  command(user: string, line: string): Promise<Answer & { tag: string }>;
  react(user: string, message: FakeMessage, emoji: string, options?: ReactOptions): Promise<Answer>;
  click(user: string, message: FakeMessage, actionId: string): Promise<Answer & { tag: string }>;
  replyInThread(user: string, root: FakeMessage, text: string): Promise<Answer>;
  /**
   * Someone deletes a message in Slack, which tells the bot: a first message with replies stays as a tombstone
   * (its text and buttons gone, edits taken), any other is removed.
   */
  deleteMessage(message: FakeMessage): Promise<Answer>;
  /**
   * The message the bot posted under `key` for the deployment or incident `owner` (`gate:sec`, `note:remind:sec:1`),
   * once it is in the bot's message index. Found by text, a message would be the first deployment's of that text:
   * after one deployment of a service, the next one's gate and reminders read as the earlier one's did.
   */
  messageOf(owner: string, key: string, timeoutMs?: number): Promise<FakeMessage>;
  /** Polls until `find` returns something. */
  waitFor<T>(what: string, find: () => Found<T> | Promise<Found<T>>, timeoutMs?: number): Promise<T>;
  /** Polls the store until the deployment is in one of `states`. */
  waitForState(id: string, states: readonly string[], timeoutMs?: number): Promise<Deployment>;
  /**
   * Stops the bot (Slack adapter and workers) and starts a new one on the same Redis and HTTP server, as after a
   * crash or deploy; `whileDown` runs in between (what people do in Slack then reaches no bot).
   */
  restart(whileDown?: () => void | Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

type Found<T> = T | undefined | false;

export interface ReactOptions {
  readonly added?: boolean;
  readonly eventTs?: string;
  readonly eventId?: string;
  readonly retryNum?: number;
  /** Signing overrides (forged or stale requests). */
  readonly sign?: SignOptions;
}

export interface SlackHarnessOptions {
  readonly redisUrl: string;
  readonly runbookPath: string;
  readonly env?: Record<string, string>;
  /** More of the bot's own settings (PAGERDUTY_ROUTING_KEY, PAGERDUTY_EVENTS_URL …). */
  readonly config?: Record<string, string>;
  /** Socket Mode (SLACK_APP_TOKEN set) instead of HTTP. */
  readonly socketMode?: boolean;
  /** In place of the HTTP server's limits on slow clients (HTTP_LIMITS). */
  readonly httpLimits?: HttpLimits;
  /** As `preflight start` listens in HTTP mode: the ingress thread on the port, the bot's server behind it. */
  readonly ingress?: boolean;
}

/** Polls until `find` returns something other than undefined or false. */
export async function waitFor<T>(
  what: string,
  find: () => Found<T> | Promise<Found<T>>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts the fake Slack API, Preflight, its HTTP server and the Slack adapter. */
export async function startSlackHarness(options: SlackHarnessOptions): Promise<SlackHarness> {
  const fake = await startFakeSlackApi();
  const socket = options.socketMode ? attachFakeSocketMode(fake) : undefined;
  const logs: string[] = [];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env };
  const config = readConfig({
    REDIS_URL: options.redisUrl,
    RUNBOOK: options.runbookPath,
    SLACK_BOT_TOKEN: 'xoxb-test-0000-preflight',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...(socket && { SLACK_APP_TOKEN: 'xapp-1-A0PREFLIGHT-test' }),
    LOG_LEVEL: 'info',
    PATH: env.PATH,
    HOME: env.HOME,
    ...options.config,
  });
  const prefix = createTestPrefix();
  const create = () =>
    createPreflight({
      config,
      env,
      work: true,
      prefix,
      tuning: FAST_TUNING,
      // As `preflight start` does: a page due at start waits for the Slack adapter, to read back reactions first.
      readBackPlatforms: readBackPlatforms(config),
      logDestination: new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
  let preflight = await create();
  const http = createHttpServer({
    ready: async () => ({ ok: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    log: preflight.logger,
    ...(options.httpLimits && { limits: options.httpLimits }),
  });
  // Registers the Slack port and (again, on a restart) the route for POST /slack/events.
  const boot = async () => {
    const started = await startSlack(preflight, config, http);
    preflight.chat.queue.start();
    return started;
  };
  let slack = await boot();
  const listening = options.ingress
    ? await listenPublicly(
        http,
        preflight,
        { ...config, port: 0 },
        (error) => {
          throw error;
        },
        { ...(options.httpLimits && { limits: options.httpLimits }), slackBotUserId: slack.botUserId },
      )
    : { port: await http.listen(0, '127.0.0.1'), close: () => http.close() };
  const base = `http://127.0.0.1:${listening.port}`;
  const send = (request: SlackRequest, sign?: SignOptions) =>
    postToSlackEndpoint(`${base}/slack/events`, request, sign);
  /** What people do in Slack reaches the bot by its mode: POST /slack/events, or the WebSocket. */
  const deliver = async (request: SlackRequest, sign?: SignOptions): Promise<Answer> => {
    if (!socket) return send(request, sign);
    const started = Date.now();
    const ack = await socket.deliverRequest(request, sign?.retryNum);
    return { status: 200, body: JSON.stringify(ack ?? {}), ms: Date.now() - started };
  };

  return {
    get preflight() {
      return preflight;
    },
    fake,
    http,
    base,
    logs,
    ...(socket && { socket }),
    send,
    async command(user, line) {
      const tag = randomUUID();
      const answer = await deliver(
        typedCommand({ user, line, channel: DEPLOY_CHANNEL, responseUrl: fake.responseUrl(tag), tag }),
      );
      return { ...answer, tag };
    },
    react(user, message, emoji, o = {}) {
      const event = reactionEvent({
        user,
        channel: message.channel,
        ts: message.ts,
        emoji,
        ...(o.added !== undefined && { added: o.added }),
        ...(o.eventTs !== undefined && { eventTs: o.eventTs }),
      });
      const request = eventCallback(event, o.eventId ?? `Ev${randomUUID().slice(0, 10)}`);
      return deliver(request, { ...o.sign, ...(o.retryNum !== undefined && { retryNum: o.retryNum }) });
    },
    async click(user, message, actionId) {
      const elements = message.blocks.flatMap((b) => (b as { elements?: unknown[] }).elements ?? []);
      const button = elements.find((e) => (e as { action_id?: string }).action_id === actionId) as
        | { value: string }
        | undefined;
      if (!button) throw new Error(`no ${actionId} button on ${message.ts}: ${message.text}`);
      const tag = randomUUID();
      const request = blockAction({
        user,
        channel: message.channel,
        messageTs: message.ts,
        actionId,
        value: button.value,
        responseUrl: fake.responseUrl(tag),
      });
      return { ...(await deliver(request)), tag };
    },
    deleteMessage(message) {
      const replies = fake.messages.filter((m) => m.channel === message.channel && m.threadTs === message.ts);
      const event = deletionEvent({
        channel: message.channel,
        ts: message.ts,
        ...(message.threadTs !== undefined && { threadTs: message.threadTs }),
        text: message.text,
        replies: replies.length,
      });
      if (replies.length > 0) {
        message.text = 'This message was deleted.';
        message.blocks = [];
      } else fake.messages.splice(fake.messages.indexOf(message), 1);
      return deliver(eventCallback(event, `Ev${randomUUID().slice(0, 10)}`));
    },
    replyInThread(user, root, text) {
      const event = threadMessageEvent({ user, channel: root.channel, threadTs: root.ts, text });
      return deliver(eventCallback(event, `Ev${randomUUID().slice(0, 10)}`));
    },
    waitFor,
    messageOf(owner, key, timeoutMs = 20_000) {
      return waitFor(
        `${owner}'s ${key} message`,
        async () => {
          const ref = await preflight.chat.index.find(owner, key);
          return ref && fake.message(ref.channel, ref.id);
        },
        timeoutMs,
      );
    },
    waitForState(id, states, timeoutMs = 30_000) {
      return waitFor(
        `${id} in ${states.join(' or ')}`,
        async () => {
          const d = await preflight.engine.store.get(id);
          return d && states.includes(d.state) ? d : undefined;
        },
        timeoutMs,
      );
    },
    async restart(whileDown) {
      // As `preflight start` stops (start-command.ts): sends before the chat they go to, or a send that found its
      // chat gone would be given up (a page or incident post lost to the test's own restart).
      await preflight.chat.queue.stop();
      await slack.stop();
      await preflight.stop();
      await whileDown?.();
      preflight = await create();
      slack = await boot();
    },
    async stop() {
      await preflight.chat.queue.stop();
      await slack.stop();
      await listening.close();
      await preflight.stop();
      await socket?.close();
      await fake.close();
    },
  };
}
