/**
 * The one place chat adapters are chosen and started for `preflight start`: Slack or Discord when configured,
 * else the terminal chat when there is a terminal (with none, no chat at all). Each adapter registers its port in `preflight.chat.ports`, mounts its routes on the
 * HTTP server when it has any, and contributes to the stop function.
 */
import type { Config } from '../config/config.ts';
import type { Platform } from '../core/index.ts';
import type { HttpServer } from '../infra/http/http-server.ts';
import type { Preflight } from '../main.ts';
import { openConsoleSession } from './console-session.ts';
import { writeErrorLine } from './error-output.ts';
import { startSlack } from './start-slack.ts';

/** The chat adapters of a running bot. */
export interface ChatAdapters {
  /** The adapters running, e.g. `['console']`. */
  readonly names: readonly string[];
  /** Settles when an adapter ends the process on its own (Ctrl-D in the terminal chat), with the exit code. */
  readonly done: Promise<number>;
  /** Slack over HTTP: the bot's own Slack user (for the ingress thread). */
  readonly slackBotUserId?: string | undefined;
  /** Shows a line to the person at the terminal chat (nothing for other adapters). */
  greet?(line: string): void;
  stop(): Promise<void>;
}

/** What the terminal chat needs when it is the adapter. */
export interface ChatAdapterOptions {
  /** Who types in the terminal chat. */
  readonly consoleUser: string;
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** True when no chat platform is configured: `preflight start` offers the terminal chat, if it has a terminal. */
export function usesTerminalChat(config: Pick<Config, 'slack' | 'discord'>): boolean {
  return config.slack === undefined && config.discord === undefined;
}

/**
 * Whether each platform's chat port reads reactions back (`ChatPort.reactions`). Only for those does a page due at
 * start wait for the adapter to come up (it reads back the acknowledgements made while the bot was down); for any
 * other it would only be held up.
 */
const READS_REACTIONS_BACK: Readonly<Record<'slack' | 'discord', boolean>> = { slack: true, discord: true };

/** The configured platforms whose adapter a page due at start waits for (`PreflightOptions.readBackPlatforms`). */
export function readBackPlatforms(config: Pick<Config, 'slack' | 'discord'>): Platform[] {
  return (['slack', 'discord'] as const).filter(
    (platform) => config[platform] !== undefined && READS_REACTIONS_BACK[platform],
  );
}

/** Starts the configured chat adapters; call `preflight.chat.queue.start()` afterwards. */
export async function startChatAdapters(
  preflight: Preflight,
  config: Config,
  http: HttpServer,
  options: ChatAdapterOptions,
): Promise<ChatAdapters> {
  if (!usesTerminalChat(config)) {
    // Slack and Discord may run side by side against the same runbooks; each deployment answers where it began.
    const stops: (() => Promise<void>)[] = [];
    const names: string[] = [];
    let slackBotUserId: string | undefined;
    // An adapter that lost its platform for good ends the process with 1: a supervisor restarts it, and the log says why.
    let fail: (code: number) => void = () => {};
    const done = new Promise<number>((resolve) => {
      fail = resolve;
    });
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop();
    };
    try {
      if (config.slack) {
        // Registers the Slack port and mounts POST /slack/events (or connects in Socket Mode).
        const slack = await startSlack(preflight, config, http);
        stops.push(slack.stop);
        slackBotUserId = slack.botUserId;
        names.push('slack');
      }
      if (config.discord) {
        // discord.js loads only when Discord is configured.
        const { startDiscord } = await import('./start-discord.ts');
        stops.push(
          await startDiscord(preflight, config, (message) => {
            writeErrorLine(`preflight: ${message}`);
            fail(1);
          }),
        );
        names.push('discord');
      }
    } catch (error) {
      await stopAll();
      throw error;
    }
    return { names, done, stop: stopAll, slackBotUserId };
  }
  // Without a terminal there is no one to type: no chat at all (start-command.ts says what to set).
  if (options.input.isTTY !== true)
    return { names: [], done: new Promise<number>(() => {}), stop: async () => {} };
  const stop = new AbortController();
  const session = openConsoleSession(preflight, {
    user: options.consoleUser,
    input: options.input,
    output: options.output,
    interactive: true,
    signal: stop.signal,
  });
  const done = session.run();
  return {
    names: ['console'],
    done,
    greet: (line) => session.write(line),
    async stop() {
      stop.abort();
      await done;
    },
  };
}
