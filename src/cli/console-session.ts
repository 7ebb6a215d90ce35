/** The terminal chat wired to a running Preflight: its port, its input and the console loop. */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { createConsoleChat } from '../bot/console/console-chat.ts';
import { createConsoleInput } from '../bot/console/console-input.ts';
import { createConsoleTerminal } from '../bot/console/console-terminal.ts';
import { runConsole } from '../bot/console/run-console.ts';
import { createKeySpace, type Runbook } from '../core/index.ts';
import type { Preflight } from '../main.ts';
import { CliError } from './cli-error.ts';

/** How a console session reads and prints. */
export interface ConsoleSessionOptions {
  /** Who types when a line names nobody (`--as`), already checked with `pickConsoleUser`. */
  readonly user: string;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly interactive: boolean;
  readonly color?: boolean;
  readonly signal?: AbortSignal;
  readonly settleTimeoutMs?: number;
  /** Where report pictures are written (default `.preflight/reports` under the working directory). */
  readonly picturesDir?: string;
}

/** A terminal chat attached to a running Preflight. */
export interface ConsoleSession {
  /** Prints a line into the transcript (banners, notices). */
  write(line: string): void;
  /** Runs until the input ends; resolves with the exit code. */
  run(): Promise<number>;
}

function runbooksOf(preflight: Preflight): Runbook[] {
  const { runbooks } = preflight.engine;
  return runbooks.services().flatMap((s) => {
    const loaded = runbooks.current(s);
    return loaded ? [loaded.runbook] : [];
  });
}

/** The person the console types as: `--as`, else $USER when a runbook knows them, else the first person listed. */
export function pickConsoleUser(
  runbooks: readonly Runbook[],
  as: string | undefined,
  login?: string,
): string {
  const people = [...new Set(runbooks.flatMap((r) => Object.keys(r.people)))];
  if (as !== undefined) {
    if (people.includes(as)) return as;
    if (as.trim() === '')
      throw new CliError(`--as is empty: name a person of the runbook (people: ${people.join(', ')})`, 2);
    throw new CliError(
      `--as ${as}: not a person of the runbook${runbooks.length === 1 ? '' : 's'} (people: ${people.join(', ')})`,
      2,
    );
  }
  if (login !== undefined && people.includes(login)) return login;
  const first = people[0];
  if (first === undefined)
    throw new CliError('the runbooks name no people, so nobody can type in the console', 2);
  return first;
}

async function describePending(preflight: Preflight): Promise<string> {
  const active = await preflight.engine.store.list({ activeOnly: true, limit: 20 });
  const busy = active.map((d) => {
    const step = d.steps.find((s) => s.status === 'running');
    return `${d.id} ${d.state}${step ? ` (step ${step.id} running)` : ''}`;
  });
  return busy.length > 0 ? busy.join(', ') : 'chat messages still queued';
}

const DEFAULT_PICTURES_DIR = '.preflight/reports';

/** Writes a picture and returns its path as the user would type it (relative to here when inside). */
async function savePicture(dir: string, name: string, png: Uint8Array): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = resolve(dir, basename(name));
  await writeFile(path, png);
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') ? path : relativePath;
}

/**
 * Says in the transcript when Preflight's Redis goes away and when it is back: meanwhile nothing typed can be
 * recorded or answered, and a line waits for it, which without a word looks like a hung terminal.
 */
function sayRedisOutages(
  redis: Pick<Preflight['redis'], 'on' | 'off'>,
  transcript: { error(text: string): void; info(text: string): void },
): () => void {
  let down = false;
  const lost = () => {
    if (down) return;
    down = true;
    transcript.error(
      "Preflight lost its Redis: nothing can be recorded or answered until it is back. What you type waits for it (Ctrl-C drops the line); Preflight's log says why.",
    );
  };
  const back = () => {
    if (!down) return;
    down = false;
    transcript.info('Redis is back: Preflight carries on.');
  };
  redis.on('close', lost);
  redis.on('ready', back);
  return () => {
    redis.off('close', lost);
    redis.off('ready', back);
  };
}

/** Registers the console port on Preflight's chat and returns the session to run. */
export function openConsoleSession(preflight: Preflight, options: ConsoleSessionOptions): ConsoleSession {
  const terminal = createConsoleTerminal(options);
  const chat = createConsoleChat({
    write: (line) => terminal.write(line),
    color: options.color ?? pc.isColorSupported,
    now: () => preflight.engine.clock.now(),
    nextId: () => preflight.redis.incr(createKeySpace(preflight.prefix).consoleNextId),
    saveImage: (name, png) => savePicture(options.picturesDir ?? DEFAULT_PICTURES_DIR, name, png),
    redactor: preflight.redactor,
  });
  preflight.chat.ports.console = chat.port;
  const runbooks = runbooksOf(preflight);
  const channels = [
    ...new Set([...runbooks.map((r) => r.channels.deploy), ...runbooks.map((r) => r.channels.incident)]),
  ];
  const input = createConsoleInput({
    dispatcher: preflight.chat.dispatcher,
    index: preflight.chat.index,
    store: preflight.engine.store,
    chat,
    channels,
    people: [...new Set(runbooks.flatMap((r) => Object.keys(r.people)))],
    user: options.user,
    log: preflight.logger,
  });
  return {
    write: (line) => terminal.write(line),
    run: async () => {
      // Only while the session runs: the stop that follows it closes the connection on purpose.
      const unwatch = sayRedisOutages(preflight.redis, chat.transcript);
      try {
        return await runConsole({
          terminal,
          input,
          interactive: options.interactive,
          settled: () => preflight.settled(),
          pending: () => describePending(preflight),
          ...(options.signal && { signal: options.signal }),
          ...(options.settleTimeoutMs !== undefined && { settleTimeoutMs: options.settleTimeoutMs }),
        });
      } finally {
        unwatch();
      }
    },
  };
}
