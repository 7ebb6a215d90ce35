/**
 * A bash started before its step is known, so a step's start costs no fork: on this kind of machine forking and
 * loading bash is most of a short step's time (design.md §11). It waits on a descriptor of its own (3) for the
 * step: its folder, its whole environment and its script, NUL-separated. It then moves there, exports exactly that
 * environment, closes the descriptor and evaluates the script under the options every `run` step has
 * (`-euo pipefail`). Started with an empty environment in `/`, it ends up as `bash -c <run>` started there with
 * that environment would be; only commands bash could be told apart by are left to a fresh start (`canRunWarm`).
 * Told nothing (its launcher stopped or died), it reads end-of-file and exits without running anything.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { execa } from 'execa';
import type { StepCommand } from '../core/index.ts';
import {
  FORCE_KILL_AFTER_MS,
  type OutputSink,
  type SpawnOptions,
  type StepOutcomeOnly,
  toOutcome,
  watchLeftovers,
} from './step-process.ts';

/**
 * What a waiting shell reads at most: its payload comes in one read (`read -N`), but a step's environment and script
 * beyond this are unusual enough to start anew.
 */
export const WARM_PAYLOAD_LIMIT = 4096;

/** The payload's length, in decimal digits ahead of it: bash reads it first, then the payload in one read. */
const LENGTH_DIGITS = 8;

/**
 * Say it waits (a byte back on the descriptor), read the payload's length and then the payload, each with `read -N`
 * (which bash reads from a pipe in one go, where other reads take a byte at a time), close the descriptor and
 * evaluate the payload (`payloadOf`). The shell runs without a locale (its environment is empty), so `-N` counts
 * bytes.
 */
const BOOTSTRAP = [
  'printf . >&3',
  `IFS= read -r -N ${LENGTH_DIGITS} -u 3 __preflight || exit 0`,
  'IFS= read -r -N "$((10#$__preflight))" -u 3 __preflight || exit 0',
  'exec 3<&-',
  'builtin eval "$__preflight"',
].join('; ');

/** Names bash reads at its start, keeps read-only or sets itself: a step given one of them starts anew. */
const SHELL_OWN = new Set([
  'ENV',
  'SHELLOPTS',
  'POSIXLY_CORRECT',
  'SHLVL',
  'PWD',
  'OLDPWD',
  'IFS',
  'PS4',
  'CDPATH',
  'GLOBIGNORE',
  'EUID',
  'UID',
  'PPID',
  'GROUPS',
  'RANDOM',
  'SRANDOM',
  'SECONDS',
  'EPOCHREALTIME',
  'EPOCHSECONDS',
  'LINENO',
  'HISTCMD',
  'OPTIND',
  'OPTARG',
  'OPTERR',
  'FUNCNAME',
  'DIRSTACK',
  'PIPESTATUS',
  'COMP_WORDBREAKS',
  'HOSTNAME',
  'HOSTTYPE',
  'MACHTYPE',
  'OSTYPE',
  'TMOUT',
  '_',
]);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function plainName(name: string): boolean {
  return PLAIN_NAME.test(name) && !SHELL_OWN.has(name) && !/^(BASH|__preflight)/.test(name);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * One word, as bash reads it back exactly, on one line: ANSI-C quoting (`$'…'`), with a backslash, a quote and each
 * control character written as an escape, so a line break in a value does not move the script's line numbers.
 */
function quoted(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped here.
  const escaped = text.replace(/[\\'\x01-\x1f\x7f]/g, (c) =>
    c === '\\' || c === "'" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `$'${escaped}'`;
}

/**
 * The commands the waiting shell evaluates: move to the step's folder, take the path bash has as `$BASH` (the one the
 * step's PATH finds), leave OLDPWD as a new shell has it (unset, to be exported once set), export exactly the step's
 * environment, count `SECONDS` from the step's start and evaluate the script. All on one line, so the script's
 * line numbers are its own; each command stands alone under `-e`, as in a shell's own start. Its length comes first.
 */
function payloadOf(command: StepCommand & { readonly run: string }, bash: string): string {
  const entries = Object.entries(command.env).map(([name, value]) => ` ${quoted(`${name}=${value}`)}`);
  const body = [
    `builtin cd -P -- ${quoted(command.cwd)}`,
    `BASH=${quoted(bash)}`,
    'builtin unset OLDPWD; builtin export OLDPWD',
    `builtin export --${entries.join('')}`,
    'SECONDS=0',
    `builtin unset __preflight; builtin eval ${quoted(command.run)}`,
  ].join('; ');
  return `${String(Buffer.byteLength(body)).padStart(LENGTH_DIGITS, '0')}${body}`;
}

function isProgram(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The bash a fresh start of `command` would run: the first on its PATH, as execvp finds it (an empty entry is the
 * step's folder). Undefined without a PATH or without a bash on it (the fresh start then says so).
 */
export function bashOf(command: StepCommand): string | undefined {
  const path = command.env.PATH;
  if (path === undefined) return undefined;
  for (const dir of path.split(':')) {
    const candidate = join(dir === '' ? command.cwd : dir, 'bash');
    if (candidate.startsWith('/') && isProgram(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether a shell started as `bash` runs `command` exactly as a fresh `bash -euo pipefail -c` would: a `run`
 * script in an existing folder, whose PATH finds that same bash first, plain environment names, nothing with a NUL
 * in it, and short enough to be read quickly.
 */
export function canRunWarm(
  command: StepCommand,
  bash: string,
): command is StepCommand & { readonly run: string } {
  if (command.run === undefined) return false;
  if (!Object.keys(command.env).every(plainName)) return false;
  const payload = payloadOf(command as StepCommand & { readonly run: string }, bash);
  // bash cannot hold a NUL in a value or the script: such a command keeps its fresh start (which refuses it).
  if (payload.includes('\0')) return false;
  if (Buffer.byteLength(payload) > WARM_PAYLOAD_LIMIT) return false;
  return isFolder(command.cwd) && bashOf(command) === bash;
}

export interface WarmShell {
  /** The bash it runs (an absolute path). */
  readonly bash: string;
  /** True while it has started and waits for its step. */
  alive(): boolean;
  /** Runs the step now; its timeout counts from here. Resolves with its outcome, as spawnStep does. */
  run(
    command: StepCommand & { readonly run: string },
    options: SpawnOptions,
    sink: OutputSink,
  ): Promise<StepOutcomeOnly>;
  /** Lets it go without running anything. */
  discard(): void;
}

/**
 * Starts `bash` (an absolute path), as `bash`, to wait for its step; `onWaiting` is called once it does (bash is
 * loaded).
 */
export function startWarmShell(bash: string, onWaiting: () => void): WarmShell {
  const stop = new AbortController();
  const subprocess = execa(bash, ['-euo', 'pipefail', '-c', BOOTSTRAP], {
    argv0: 'bash',
    cwd: '/',
    env: {},
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cancelSignal: stop.signal,
    killDescendants: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  let exited = false;
  const child = subprocess.nodeChildProcess;
  child.once('error', () => {
    exited = true;
  });
  child.once('exit', () => {
    exited = true;
  });
  const step = child.stdio[3] as Writable | null | undefined;
  // An error on it (closed by an early exit) is the exit's: nothing to report.
  step?.on('error', () => undefined);
  let used = false;
  // Said only while it still waits: a shell taken before it said so is not ready for another step.
  (step as (Writable & { once?(event: 'data', listener: () => void): unknown }) | null | undefined)?.once?.(
    'data',
    () => {
      if (!used) onWaiting();
    },
  );
  return {
    bash,
    alive: () =>
      !used && child.pid !== undefined && !exited && child.exitCode === null && child.signalCode === null,
    async run(command, options, sink) {
      used = true;
      subprocess.stdout?.on('data', (chunk: Buffer) => sink.write('stdout', chunk));
      subprocess.stderr?.on('data', (chunk: Buffer) => sink.write('stderr', chunk));
      let timedOut = false;
      const onAbort = () => stop.abort(options.signal.reason);
      options.signal.addEventListener('abort', onAbort, { once: true });
      const limit = Number.isFinite(command.timeoutMs) ? Math.max(0, Math.floor(command.timeoutMs)) : 0;
      const timer =
        limit > 0
          ? setTimeout(() => {
              timedOut = true;
              stop.abort(new Error('the step timed out'));
            }, limit)
          : undefined;
      const leftovers = watchLeftovers(child, sink, () => subprocess.kill());
      try {
        if (child.pid !== undefined) options.onSpawn?.(child.pid);
      } catch {
        // A failing listener must not keep the step from running.
      }
      step?.end(payloadOf(command, bash));
      if (options.signal.aborted) onAbort();
      try {
        const result = await subprocess;
        return timedOut ? { outcome: 'timed_out' } : toOutcome(result, 'bash', command.env);
      } finally {
        clearTimeout(timer);
        leftovers.stop();
        options.signal.removeEventListener('abort', onAbort);
      }
    },
    discard() {
      used = true;
      step?.end();
      stop.abort(new Error('the warm shell was not used'));
    },
  };
}
