/**
 * The one place chat adapters are chosen and started for `preflight start`: Slack or Discord when configured,
 * else the terminal chat. Each adapter registers its port in `preflight.chat.ports`, mounts its routes on the
 * HTTP server when it has any, and contributes to the stop function.
 */
import { Readable } from 'node:stream';
import type { Config } from '../config/config.ts';
import type { HttpServer } from '../infra/http/http-server.ts';
import type { Preflight } from '../main.ts';
import { openConsoleSession } from './console-session.ts';
import { startSlack } from './start-slack.ts';

/** The chat adapters of a running bot. */
export interface ChatAdapters {
  /** The adapters running, e.g. `['console']`. */
  readonly names: readonly string[];
  /** Settles when an adapter ends the process on its own (Ctrl-D in the terminal chat), with the exit code. */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

/** What the terminal chat needs when it is the adapter. */
export interface ChatAdapterOptions {
  /** Who types in the terminal chat. */
  readonly consoleUser: string;
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** True when `preflight start` will run the terminal chat (no Slack and no Discord configured). */
export function usesTerminalChat(config: Pick<Config, 'slack' | 'discord'>): boolean {
  return config.slack === undefined && config.discord === undefined;
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
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop();
    };
    try {
      if (config.slack) {
        // Registers the Slack port and mounts POST /slack/events (or connects in Socket Mode).
        stops.push(await startSlack(preflight, config, http));
        names.push('slack');
      }
      if (config.discord) {
        // discord.js loads only when Discord is configured.
        const { startDiscord } = await import('./start-discord.ts');
        stops.push(await startDiscord(preflight, config));
        names.push('discord');
      }
    } catch (error) {
      await stopAll();
      throw error;
    }
    return { names, done: new Promise<number>(() => {}), stop: stopAll };
  }
  const interactive = options.input.isTTY === true;
  const stop = new AbortController();
  // Without a terminal the console only prints (a server's log shows the transcript); input is not read.
  const session = openConsoleSession(preflight, {
    user: options.consoleUser,
    input: interactive ? options.input : Readable.from([]),
    output: options.output,
    interactive,
    signal: stop.signal,
  });
  if (interactive)
    session.write(
      `Preflight is running; you type as @${options.consoleUser}. Type "help" for the grammar, Ctrl-D to stop.`,
    );
  const done = interactive ? session.run() : new Promise<number>(() => {});
  return {
    names: ['console'],
    done,
    async stop() {
      stop.abort();
      if (interactive) await done;
    },
  };
}
