/**
 * A step process started ahead of its start commit and held before its first command: bash is forked and loaded
 * while the commit that starts the step is on its way to Redis, and runs the step's script only once told to
 * (`release`), after that commit. Until then it waits on a line from a descriptor of its own; given that line, it
 * closes it and runs the script. The wait is written on the script's
 * first line, so the script's line numbers are its own. A held process never told to go (the commit was refused,
 * or nobody claimed it) reads end-of-file and exits without running anything; one that exits before it is
 * released (a script bash cannot parse) is not used: the step is started anew and shows its own error.
 */
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
 * Before the script: wait for the go line on descriptor 3, then close it, so the script has the descriptors every
 * step has. (Not stdin: a socket there makes bash read the system's bashrc, as for a remote shell.)
 */
const WAIT_FOR_GO = 'read -r -u 3 __preflight_go; exec 3<&-; unset __preflight_go; ';

export interface HeldStep {
  /** The command it was started for: it is released only for the same one. */
  readonly command: StepCommand;
  /** True while the process has started and waits (it can be released only then). */
  alive(): boolean;
  /** Runs the script now; its timeout counts from here. Resolves with its outcome, as spawnStep does. */
  release(options: SpawnOptions, sink: OutputSink): Promise<StepOutcomeOnly>;
  /** Lets the process go without running the script. */
  discard(): void;
}

/** The held form of `bash -euo pipefail -c <run>`; undefined for a command that is not a `run` script. */
export function holdStep(command: StepCommand): HeldStep | undefined {
  if (command.run === undefined) return undefined;
  const stop = new AbortController();
  const subprocess = execa('bash', ['-euo', 'pipefail', '-c', `${WAIT_FOR_GO}${command.run}`], {
    cwd: command.cwd,
    env: { ...command.env },
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cancelSignal: stop.signal,
    killDescendants: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  // Usable once started (a pid) and while waiting: a process that failed to start (a missing folder) is started
  // anew, so the step tells why as any step does.
  let exited = false;
  const child = subprocess.nodeChildProcess;
  child.once('error', () => {
    exited = true;
  });
  child.once('exit', () => {
    exited = true;
  });
  const go = child.stdio[3] as Writable | null | undefined;
  // An error on it (closed by an early exit) is the exit's: nothing to report.
  go?.on('error', () => undefined);
  const discard = () => {
    go?.end();
    stop.abort(new Error('the held step was not started'));
  };
  return {
    command,
    alive: () => child.pid !== undefined && !exited && child.exitCode === null && child.signalCode === null,
    async release(options, sink) {
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
      go?.end('go\n');
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
    discard,
  };
}
