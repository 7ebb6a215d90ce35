/**
 * `preflight console [--as USER] [--script FILE]`: the terminal chat against the runbooks, with workers in the
 * same process. Interactive at a TTY; otherwise (a pipe or --script) it runs the lines as a script, waits for
 * Preflight to settle, and exits 0, or 1 when a line failed. Logs go to a file (console-log.ts).
 */

import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { createPreflight } from '../main.ts';
import { CliError } from './cli-error.ts';
import { openConsoleLog } from './console-log.ts';
import { openConsoleSession, pickConsoleUser } from './console-session.ts';
import { loadRunbooksOrExit } from './load-runbooks-or-exit.ts';
import { warnThePerson } from './person-warnings.ts';
import { onStopSignals } from './shutdown.ts';
import { readConfigOrExit } from './worker-command.ts';

/** The options of `preflight console`. */
export interface ConsoleArgs {
  readonly as?: string;
  readonly script?: string;
}

async function openInput(
  script: string | undefined,
): Promise<{ input: NodeJS.ReadableStream; interactive: boolean }> {
  if (script === undefined) return { input: process.stdin, interactive: process.stdin.isTTY === true };
  if (script.trim() === '')
    throw new CliError(
      '--script is empty: give a file of console lines (e.g. examples/sandbox/demo-script.txt)',
      2,
    );
  const info = await stat(script).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `--script ${script}: ${error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 'no such file' : `cannot read it (${error.code ?? error.message})`}`,
      2,
    );
  });
  // A pipe is fine (`--script <(…)`); a folder would fail later with EISDIR.
  if (info.isDirectory())
    throw new CliError(
      `--script ${script}: is a folder; give a file of console lines (e.g. examples/sandbox/demo-script.txt)`,
      2,
    );
  await access(script, constants.R_OK).catch(() => {
    throw new CliError(`--script ${script}: cannot read it (permission denied)`, 2);
  });
  return { input: createReadStream(script, 'utf8'), interactive: false };
}

/** Runs the console; resolves with the exit code once everything has stopped. */
export async function runConsoleCommand(
  args: ConsoleArgs,
  env: Record<string, string | undefined>,
): Promise<number> {
  const config = readConfigOrExit(env);
  const runbooks = await loadRunbooksOrExit(config.runbookPath);
  const user = pickConsoleUser(runbooks, args.as, env.USER);
  const { input, interactive } = await openInput(args.script);
  const log = openConsoleLog(config.logLevel);
  const preflight = await createPreflight({
    config,
    env,
    work: true,
    // Its log is a file: what the person must know about Redis is said where they look.
    warn: warnThePerson(),
    ...(log && { logDestination: log.destination }),
  });
  const stop = new AbortController();
  const removeSignals = onStopSignals(() => stop.abort());
  try {
    const session = openConsoleSession(preflight, {
      user,
      input,
      output: process.stdout,
      interactive,
      signal: stop.signal,
    });
    preflight.chat.queue.start();
    if (interactive) {
      const logs = log ? ` Logs: ${relative(process.cwd(), log.file)}.` : '';
      session.write(
        `Preflight console: you type as @${user} (runbooks: ${runbooks.map((r) => r.service).join(', ')}). Type "help" for the grammar, Ctrl-C to drop a line, Ctrl-D to quit.${logs}`,
      );
    }
    return await session.run();
  } finally {
    // The stop signals stay handled while it stops: a second Ctrl-C then exits through process.exit, whose
    // handlers stop the embedded Redis, instead of Node's default end that would leave it running.
    await preflight.stop().finally(removeSignals);
  }
}
