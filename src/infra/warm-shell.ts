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
 * bash reads a descriptor that is not a file one byte at a time (about 0.4–1.7 µs a byte here): a step with more
 * than this to read starts anew instead, which is then as fast.
 */
export const WARM_PAYLOAD_LIMIT = 4096;

/**
 * Say it waits (a byte back on the descriptor), read the folder, the path bash has as `$BASH` (the one the step's
 * PATH finds), then `NAME=value` entries up to an empty one, then the script; close the descriptor; run.
 * `SECONDS` counts from the step's start, as in a new shell. OLDPWD is left as a new shell has it: unset, to be
 * exported once set. The script follows the `unset` on the same line, so its line numbers are its own.
 */
const BOOTSTRAP = [
  'printf . >&3',
  'IFS= read -r -d "" -u 3 __preflight || exit 0',
  'builtin cd -P -- "$__preflight"',
  'IFS= read -r -d "" -u 3 BASH || exit 0',
  'builtin unset OLDPWD; builtin export OLDPWD',
  'while IFS= read -r -d "" -u 3 __preflight && [ -n "$__preflight" ]; do builtin export -- "$__preflight"; done',
  'IFS= read -r -d "" -u 3 __preflight || exit 0',
  'exec 3<&-',
  'SECONDS=0',
  'builtin eval "builtin unset __preflight; $__preflight"',
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

/** What the shell reads: folder, bash's path, environment entries, an empty entry, script, each ended by NUL. */
function payloadOf(command: StepCommand & { readonly run: string }, bash: string): string {
  const entries = Object.entries(command.env).map(([name, value]) => `${name}=${value}\0`);
  return `${command.cwd}\0${bash}\0${entries.join('')}\0${command.run}\0`;
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
  // A NUL inside a value or the script would end its entry early: such a command keeps its fresh start.
  const fields = 4 + Object.keys(command.env).length;
  if (payload.split('\0').length !== fields + 1) return false;
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
