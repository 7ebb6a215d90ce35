/**
 * The Discord adapter: a discord.js client on the gateway (its URL from GET /gateway/bot on DISCORD_API_URL) with
 * the intents and partials that deliver reactions on messages it never cached (a ✅ on a gate message posted before
 * a restart still counts), the listeners, and the chat port on the same REST client.
 */
import { Client, Events, GatewayIntentBits, Options, Partials, REST } from 'discord.js';
import type {
  AnswerOnce,
  ChatInbox,
  ChatPort,
  InboxEntry,
  InboxHandling,
  NoticeLimit,
  Redactor,
} from '../../core/index.ts';
import { createReactionReadBack } from '../catch-up-reactions.ts';
import { type ChatLink, createChatLinkTracker } from '../chat-link.ts';
import { findUnusableChannels } from '../check-channels.ts';
import type { Dispatcher } from '../dispatch.ts';
import type { ReadBackOutcome } from '../first-read-backs.ts';
import { createInboxHandler } from '../inbox-handler.ts';
import { createLiveReactions } from '../live-reactions.ts';
import type { OpenPrompt } from '../open-prompts.ts';
import { createHeldApprovals } from './discord-approvals-held.ts';
import { discordReactionReader } from './discord-catch-up.ts';
import { createDiscordChannelDirectory } from './discord-channels.ts';
import { createDiscordChat } from './discord-chat.ts';
import { createDiscordHome } from './discord-home.ts';
import { registerDiscordListeners } from './discord-listeners.ts';
import { onMessagesDeleted } from './discord-message-deleted.ts';
import { guardDiscordPackets } from './discord-packet-guard.ts';
import { onReactionsCleared } from './discord-reactions-cleared.ts';
import { createDiscordReply, settledOf } from './discord-reply.ts';
import { discordAnswerRestOptions, discordRestOptions } from './discord-rest.ts';
import type { DiscordLog, Suggest } from './discord-types.ts';
import { discordUnreachable } from './discord-unreachable.ts';

export interface DiscordAppOptions {
  readonly token: string;
  readonly applicationId: string;
  /** The server whose channels the runbooks name; default: every server the bot is in. */
  readonly guildId?: string;
  readonly apiUrl?: string;
  readonly dispatcher: Dispatcher;
  readonly inbox: Pick<ChatInbox, 'record'>;
  /** Caps the refusals said in a channel to people who take no direct messages. */
  readonly noticeLimit: NoticeLimit;
  readonly log: DiscordLog;
  readonly suggest: Suggest;
  readonly redactor?: Redactor;
  /**
   * Told when the gateway closed the connection for good (a refused token, disallowed intents): discord.js will not
   * reconnect, so the process should end and say why rather than run deaf.
   */
  readonly onFatal?: (message: string) => void;
  /** The messages still waiting for a reaction: read back on every new gateway session (discord-catch-up.ts). */
  readonly prompts?: () => Promise<readonly OpenPrompt[]>;
  /** Told once the first read-back of those messages has ended (pages due at start wait for it). */
  readonly onFirstReadBack?: (outcome: ReadBackOutcome) => void;
}

/** What an unrecoverable gateway close means, in words that say what to fix. */
export function fatalCloseMessage(code: number): string {
  if (code === 4004) return 'Discord refused the bot token (gateway close 4004); check DISCORD_TOKEN';
  if (code === 4013 || code === 4014)
    return `Discord refused the bot's gateway intents (close ${code}); Preflight needs Guilds, Guild Messages, Guild Message Reactions, Direct Messages and Direct Message Reactions`;
  return `the Discord gateway closed the connection for good (code ${code}); check DISCORD_TOKEN and the bot's settings, then start Preflight again`;
}

export interface DiscordApp {
  /** The chat port to register as `chat.ports.discord`. */
  readonly port: ChatPort;
  /** Handles this platform's inbox entries: `chat.inbox.serve('discord', app.handle)`. */
  readonly handle: (entry: InboxEntry, answerOnce?: AnswerOnce, handling?: InboxHandling) => Promise<void>;
  /** Logs in and waits until the gateway is ready. */
  start(): Promise<void>;
  /** Resolves the runbooks' channel names now; returns the names that were not found. */
  prepareChannels(names: readonly string[]): Promise<string[]>;
  /** The gateway connection: up, or down since when and why (for /readyz). */
  link(): ChatLink;
  stop(): Promise<void>;
}

/**
 * Guilds for channels, reactions; DM reactions for pages answered in a direct message; Guild Messages (not
 * privileged: without Message Content no text of people's comes) for the deletion of a prompt.
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.DirectMessageReactions,
];

const READY_TIMEOUT_MS = 30_000;

/** Creates the Discord adapter; nothing is contacted until start(). */
export function createDiscordApp(options: DiscordAppOptions): DiscordApp {
  const client = new Client({
    intents: DISCORD_INTENTS,
    partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
    // Guild Messages brings every message of the server, which discord.js caches: none is kept past half an hour.
    sweepers: { ...Options.DefaultSweeperSettings, messages: { interval: 600, lifetime: 1800 } },
    rest: discordRestOptions(options.apiUrl),
  });
  guardDiscordPackets(client, options.log);
  const deferrals = new Map<string, Promise<unknown>>();
  // Answers have a client of their own: a refusal by direct message that Discord rate-limits waits rather than
  // being handed to a send queue it never went through (and so lost).
  const answers = new REST(discordAnswerRestOptions(options.apiUrl)).setToken(options.token);
  const held = createHeldApprovals();
  const home = createDiscordHome({
    guildId: options.guildId,
    guildName: (id) => client.guilds.cache.get(id)?.name,
    log: options.log,
  });
  const live = createLiveReactions();
  const reactions = registerDiscordListeners(client, {
    held,
    inbox: live.hearing(options.inbox),
    log: options.log,
    suggest: options.suggest,
    home,
    deferrals,
    formRefused: (input) => options.dispatcher.formRefused(input),
  });
  const handle = createInboxHandler({
    dispatcher: options.dispatcher,
    settled: settledOf(deferrals),
    reply: createDiscordReply({
      rest: answers,
      applicationId: options.applicationId,
      log: options.log,
      noticeLimit: options.noticeLimit,
      ...(options.redactor && { redactor: options.redactor }),
    }),
  });
  client.on(Events.Error, (error) => options.log.error({ err: error }, 'Discord client error'));
  const link = createChatLinkTracker();
  const prompts = options.prompts;
  const catchUp = prompts
    ? createReactionReadBack({
        platform: 'discord',
        inbox: options.inbox,
        prompts,
        read: discordReactionReader(client.rest, () => client.user?.id, held),
        live,
        log: options.log,
        ...(options.onFirstReadBack && { onFirstPass: options.onFirstReadBack }),
      })
    : undefined;
  if (catchUp) onReactionsCleared(client, { home, readBack: catchUp.message });
  // Recorded as reactions are, tried again while Redis does not take them: Discord tells a deletion once.
  onMessagesDeleted(client, { home, record: (entry) => reactions.record(entry) });
  client.on(Events.ShardReady, () => {
    link.up('gateway connected');
    // A new session (not a resume): what was reacted while nobody listened is read back.
    catchUp?.run();
  });
  client.on(Events.ShardResume, () => link.up('gateway connected'));
  client.on(Events.ShardReconnecting, () => link.down('reconnecting to the gateway'));
  // discord.js reconnects by itself (ShardReconnecting); ShardDisconnect is a close it will never recover from.
  client.on(Events.ShardDisconnect, (event) => {
    const message = fatalCloseMessage(event.code);
    link.down(message);
    options.log.error({ code: event.code }, message);
    options.onFatal?.(message);
  });
  const channels = createDiscordChannelDirectory({
    rest: client.rest,
    guildIds: () => (options.guildId ? [options.guildId] : [...client.guilds.cache.keys()]),
  });
  const readReactions = discordReactionReader(client.rest, () => client.user?.id, held);
  const port: ChatPort = {
    ...createDiscordChat({
      rest: client.rest,
      channels,
      closedThreads: options.noticeLimit,
      ...(options.redactor && { redactor: options.redactor }),
    }),
    reactions: (ref, emoji) => readReactions({ ref, emoji }),
  };

  return {
    port,
    handle,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await client.login(options.token);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          ready,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error('the gateway did not become ready within 30 s')),
              READY_TIMEOUT_MS,
            );
          }),
        ]).finally(() => clearTimeout(timer));
      } catch (error) {
        await client.destroy();
        const message = (error as Error).message;
        throw new Error(
          /token|401|Unauthorized|4004/i.test(message)
            ? `Discord refused the bot token (${message.replace(/\.$/, '')}); check DISCORD_TOKEN`
            : discordUnreachable('could not connect to Discord', options.apiUrl, error),
        );
      }
      if (options.guildId && !client.guilds.cache.has(options.guildId))
        options.log.warn(
          { guild: options.guildId },
          'the bot is not in DISCORD_GUILD_ID: invite it with the URL in README "Connect to Discord"',
        );
    },
    prepareChannels: (names) =>
      findUnusableChannels(names, channels.resolve, (channel, err) =>
        options.log.warn({ channel, err }, 'Discord channel not usable'),
      ),
    link: () => link.state(),
    async stop() {
      catchUp?.stop();
      reactions.stop();
      answers.clearHashSweeper();
      answers.clearHandlerSweeper();
      await client.destroy();
    },
  };
}
