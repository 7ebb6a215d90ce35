/** Runs one step process with execa: a clean environment, a killable process tree, output handed to a sink. */
import { execa } from 'execa';
import type { StepCommand, StepResult } from '../core/index.ts';

export const FORCE_KILL_AFTER_MS = 5_000;
/** How long output may stay open after the step exited, held by processes it left in the background. */
const LEFTOVER_GRACE_MS = 2_000;

/**
 * The step process was lost with the process that watched it (the step launcher died): its outcome is unknown,
 * as after a worker crash. The step runner throws it, so the job is retried and recovery marks the step
 * interrupted (a non-idempotent step then asks for a decision).
 */
export class StepProcessLost extends Error {
  override readonly name = 'StepProcessLost';
}

/** A step's result before its duration and output tail are added. */
export type StepOutcomeOnly = Omit<StepResult, 'durationMs' | 'outputTail'>;

/** Where a running step's output goes, chunk by chunk. */
export interface OutputSink {
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** A line of Preflight's own about the process. */
  note(line: string): void;
}

export interface SpawnOptions {
  readonly signal: AbortSignal;
  readonly onSpawn?: (pid: number) => void;
}

/** Starts a step process and resolves with its outcome; it never throws for the command's own faults. */
export type SpawnStep = (
  command: StepCommand,
  program: readonly string[],
  options: SpawnOptions,
  sink: OutputSink,
) => Promise<StepOutcomeOnly>;

/** What is read from execa's result (or, for a spawn failure, its error object). */
interface Settled {
  readonly timedOut: boolean;
  readonly isCanceled: boolean;
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
  readonly code?: string | undefined;
  readonly originalMessage?: string | undefined;
  readonly shortMessage?: string | undefined;
}

/** The program and arguments a command runs: `run` through bash, `argv` as given. */
export function toProgram(command: StepCommand): readonly string[] | undefined {
  if (command.run !== undefined) return ['bash', '-euo', 'pipefail', '-c', command.run];
  return command.argv !== undefined && command.argv.length > 0 ? command.argv : undefined;
}

function describeSpawnFailure(result: Settled, program: string, path: string | undefined): string {
  if (result.code === 'ENOENT') {
    return program.includes('/')
      ? `program "${program}" not found`
      : `program "${program}" not found on PATH (${path ?? 'unset'})`;
  }
  if (result.code === 'EACCES') return `program "${program}" is not executable`;
  return result.originalMessage ?? result.shortMessage ?? `program "${program}" could not be started`;
}

export function toOutcome(result: Settled, program: string, env: StepCommand['env']): StepOutcomeOnly {
  if (result.timedOut) return { outcome: 'timed_out' };
  if (result.isCanceled) return { outcome: 'canceled' };
  if (typeof result.exitCode === 'number') {
    return result.exitCode === 0
      ? { outcome: 'succeeded', exitCode: 0 }
      : { outcome: 'failed', exitCode: result.exitCode };
  }
  if (result.signal !== undefined) return { outcome: 'failed', failure: `killed by ${result.signal}` };
  return { outcome: 'failed', failure: describeSpawnFailure(result, program, env.PATH) };
}

/** Runs the command in exactly the environment given; a timeout or an abort kills the whole process tree. */
export const spawnStep: SpawnStep = async (command, [program = '', ...args], options, sink) => {
  const timeout = Number.isFinite(command.timeoutMs) ? Math.max(0, Math.floor(command.timeoutMs)) : 0;
  const subprocess = execa(program, args, {
    cwd: command.cwd,
    env: { ...command.env },
    extendEnv: false,
    // A closed stdin: `read` returns at once, and bash does not think it is interactive.
    stdin: 'ignore',
    buffer: false,
    reject: false,
    timeout,
    cancelSignal: options.signal,
    killDescendants: true,
    forceKillAfterDelay: FORCE_KILL_AFTER_MS,
  });
  subprocess.stdout?.on('data', (chunk: Buffer) => sink.write('stdout', chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => sink.write('stderr', chunk));
  const child = subprocess.nodeChildProcess;
  child.once('spawn', () => {
    try {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    } catch {
      // A failing listener must not crash the process from inside an event handler.
    }
  });
  const leftovers = watchLeftovers(child, sink, () => subprocess.kill());
  try {
    const result: Settled = await subprocess;
    return toOutcome(result, program, command.env);
  } finally {
    leftovers.stop();
  }
};

/**
 * Once the step process exits, gives the processes it left in the background LEFTOVER_GRACE_MS to let go of its
 * output, then says so and stops them (`kill`).
 */
export function watchLeftovers(
  child: { once(event: 'exit', listener: () => void): unknown },
  sink: OutputSink,
  kill: () => void,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    timer = setTimeout(() => {
      sink.note(
        '[preflight] the step exited but processes it started kept its output open: they were stopped',
      );
      kill();
    }, LEFTOVER_GRACE_MS);
  });
  return { stop: () => clearTimeout(timer) };
}
