/**
 * The Bolt app in either mode. HTTP: Bolt's HTTPReceiver checks every request's signature and timestamp (forged
 * or stale ones get 401 before any listener runs) and its request listener is mounted at POST /slack/events on
 * Preflight's own server, next to /healthz and /metrics (http-receiver.ts answers at once what no listener does).
 * Socket Mode (when an app token is given): no public URL, and socket-receiver.ts acknowledges an event only once
 * its listener has recorded it. Either way the WebClient
 * throws 429s back at once and never retries by itself, so the send queue alone paces, waits and retries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { SlackConfig } from '../../config/config.ts';
import type {
  AnswerOnce,
  ChatDelivery,
  ChatInbox,
  ChatPort,
  InboxEntry,
  InboxHandling,
  NoticeLimit,
  Redactor,
} from '../../core/index.ts';
import { createReactionReadBack } from '../catch-up-reactions.ts';
import type { ChatLink } from '../chat-link.ts';
import { findUnusableChannels } from '../check-channels.ts';
import type { Dispatcher } from '../dispatch.ts';
import type { ReadBackOutcome } from '../first-read-backs.ts';
import { createInboxHandler } from '../inbox-handler.ts';
import { createLiveReactions } from '../live-reactions.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import { platformAnswered } from '../platform-answer.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { createChannelPacer } from './channel-pacer.ts';
import { createHttpReceiver } from './http-receiver.ts';
import { slackReactionReader } from './slack-catch-up.ts';
import { createChannelDirectory } from './slack-channels.ts';
import { CHANNEL_GAP_MS, createSlackChat } from './slack-chat.ts';
import { createDeletedThreads } from './slack-deleted-threads.ts';
import { SLACK_EVENTS_PATH } from './slack-events-path.ts';
import { registerSlackListeners } from './slack-listeners.ts';
import { createQueueChannelOf } from './slack-queue-channel.ts';
import { createSlackReply } from './slack-reply.ts';
import type { SlackLog } from './slack-types.ts';
import { createSocketReceiver, type SocketReceiver } from './socket-receiver.ts';

export { SLACK_EVENTS_PATH };

const API_TIMEOUT_MS = 15_000;

/** Slack's credentials and mode (SlackConfig: HTTP with the signing secret, or Socket Mode with the app token) and what it serves. */
export type SlackAppOptions = SlackConfig & SlackAppDeps;

export interface SlackAppDeps {
  readonly dispatcher: Dispatcher;
  /** Where every request is recorded before Slack gets its answer. */
  readonly inbox: Pick<ChatInbox, 'record'>;
  readonly log: SlackLog;
  readonly redactor?: Redactor;
  /** Queues a post in the chat send queue (a late answer meant for the channel). */
  readonly queueAnswer?: (delivery: ChatDelivery) => Promise<void>;
  /** The runbooks' channel names (`#deployments`): the send queue keys their posts by them. */
  readonly channelNames?: () => readonly string[];
  /** Socket Mode: the largest envelope handled, in bytes (the HTTP server's body limit, for the same refusal). */
  readonly maxPayloadBytes?: number;
  /** The messages still waiting for a reaction: read back at start and on every new Socket Mode connection. */
  readonly prompts?: () => Promise<readonly OpenPrompt[]>;
  /** Told once the first read-back of those messages has ended (pages due at start wait for it). */
  readonly onFirstReadBack?: (outcome: ReadBackOutcome) => void;
  /** Where first messages people deleted are remembered (in Redis), so no post goes into their threads. */
  readonly noticeLimit?: NoticeLimit;
}

export interface SlackApp {
  readonly mode: 'http' | 'socket';
  /** The chat port to register as `chat.ports.slack`. */
  readonly port: ChatPort;
  /** Handles one recorded Slack entry: give it to `chat.inbox.serve('slack', …)`. */
  readonly handle: (entry: InboxEntry, answerOnce?: AnswerOnce, handling?: InboxHandling) => Promise<void>;
  /** HTTP mode: the handler to mount at POST /slack/events. */
  readonly requestListener?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** Checks the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  /** The bot's own Slack user id (auth.test, asked once), or undefined when Slack did not say it. */
  botUserId(): Promise<string | undefined>;
  /**
   * Resolves channel names to ids and joins the public ones now, so a misnamed channel shows in the log at start
   * and the first message to each channel goes out without a lookup. Returns the names that were not found.
   */
  prepareChannels(names: readonly string[]): Promise<string[]>;
  /** Socket Mode: the WebSocket to Slack, up or down (for /readyz). Over HTTP Slack calls in: nothing to watch. */
  readonly link?: () => ChatLink;
  stop(): Promise<void>;
}

/** WebClient options: a 429 is thrown at once (the send queue waits it out) and nothing is retried here. */
export function slackClientOptions(apiUrl: string | undefined) {
  return {
    ...(apiUrl !== undefined && { slackApiUrl: apiUrl }),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: API_TIMEOUT_MS,
  };
}

/** Creates the Slack adapter; nothing is contacted until start(). */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = createBoltLogger(options.log);
  const clientOptions = slackClientOptions(options.apiUrl);
  const socket = options.mode === 'socket';
  // Set below, once the app exists: what a new Socket Mode connection does first.
  let onConnected = () => {};
  let socketReceiver: SocketReceiver | undefined;
  let receiver: SocketReceiver | HTTPReceiver;
  if (options.mode === 'socket') {
    socketReceiver = createSocketReceiver({
      appToken: options.appToken,
      logger,
      clientOptions,
      ...(options.maxPayloadBytes !== undefined && { maxEnvelopeBytes: options.maxPayloadBytes }),
      onConnected: () => onConnected(),
    });
    receiver = socketReceiver;
  } else {
    // Only HTTP mode checks signatures: Socket Mode's events come over the socket the app token opened.
    receiver = createHttpReceiver({
      signingSecret: options.signingSecret,
      endpoint: SLACK_EVENTS_PATH,
      logger,
      log: options.log,
    });
  }
  const app = new App({
    token: options.botToken,
    logger,
    clientOptions,
    deferInitialization: true,
    // Preflight keeps its state in Redis; Bolt's in-memory conversation store is not needed.
    convoStore: false,
    receiver,
  });
  const channels = createChannelDirectory({ api: app.client, log: options.log });
  // One pace per channel for every post from this process: the chat port's and the notes sent outside the queue.
  const pacer = createChannelPacer({ minGapMs: CHANNEL_GAP_MS });
  const redact = (text: string) => options.redactor?.redact(text) ?? text;
  const deletedThreads = options.noticeLimit && createDeletedThreads(options.noticeLimit);
  const live = createLiveReactions();
  registerSlackListeners(app, {
    inbox: live.hearing(options.inbox),
    log: options.log,
    ...(deletedThreads && { deletedThreads }),
    tellDirectly: async (userId, text) => {
      const channel = await channels.directChannel(userId);
      await pacer.turn(channel, 'post');
      return app.client.chat.postMessage({ channel, text: redact(text) });
    },
  });
  const handle = createInboxHandler({
    dispatcher: options.dispatcher,
    reply: createSlackReply({
      api: app.client,
      log: options.log,
      directChannel: (userId) => channels.directChannel(userId),
      pacer,
      ...(options.redactor && { redactor: options.redactor }),
      ...(options.queueAnswer && { queueAnswer: options.queueAnswer }),
      ...(options.channelNames && {
        queueChannelOf: createQueueChannelOf({ channels, names: options.channelNames }),
      }),
    }),
  });
  let botUser: Promise<string | undefined> | undefined;
  const botUserId = () => {
    botUser ??= app.client.auth.test().then(
      (a) => a.user_id,
      () => undefined,
    );
    return botUser;
  };
  const readReactions = slackReactionReader(app.client, botUserId);
  const port: ChatPort = {
    ...createSlackChat({
      api: app.client,
      log: options.log,
      channels,
      pacer,
      ...(options.redactor && { redactor: options.redactor }),
      ...(deletedThreads && { deletedThreads }),
    }),
    reactions: async (ref, emoji) =>
      (await readReactions({ ref })).filter((reaction) => emoji.includes(reaction.emoji)),
  };
  let started = false;
  const prompts = options.prompts;
  const catchUp = prompts
    ? createReactionReadBack({
        platform: 'slack',
        inbox: options.inbox,
        prompts,
        read: readReactions,
        live,
        log: options.log,
        ...(options.onFirstReadBack && { onFirstPass: options.onFirstReadBack }),
      })
    : undefined;
  onConnected = () => catchUp?.run();

  return {
    mode: socket ? 'socket' : 'http',
    port,
    handle,
    ...(receiver instanceof HTTPReceiver && { requestListener: receiver.requestListener }),
    ...(socketReceiver && { link: () => socketReceiver.link() }),
    async start() {
      try {
        await app.init();
      } catch (error) {
        const refused = (error as { data?: { error?: string } }).data?.error;
        const where = options.apiUrl ? ` at ${options.apiUrl} (SLACK_API_URL)` : '';
        // Slack's error codes are snake_case words; any other body came from a server that is not Slack's API.
        if (refused !== undefined && !/^[a-z_]+$/.test(refused))
          throw new Error(
            `the Slack Web API${where} did not answer as Slack does (auth.test answered "${refused.slice(0, 40)}"): ${
              options.apiUrl
                ? "check that SLACK_API_URL is right (or unset it to use Slack's own)"
                : 'a proxy on the way may have answered instead; check the network'
            }`,
          );
        throw new Error(
          refused
            ? `Slack refused the bot token (${platformAnswered('auth.test', refused)}); check SLACK_BOT_TOKEN`
            : `could not reach the Slack Web API${where}: ${(error as Error).message}`,
        );
      }
      if (socket) await app.start();
      else catchUp?.run();
      started = true;
    },
    botUserId,
    prepareChannels: (names) =>
      findUnusableChannels(names, channels.resolve, (channel, err) =>
        options.log.warn({ channel, err }, 'Slack channel not usable'),
      ),
    async stop() {
      catchUp?.stop();
      if (socket && started) await app.stop();
      started = false;
    },
  };
}
