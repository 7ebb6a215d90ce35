/** Runs step commands as real processes with execa: a clean environment, a killable process tree, redacted output. */
import { stat } from 'node:fs/promises';
import { execa } from 'execa';
import type { Redactor, StepCommand, StepResult, StepRunner, StepRunOptions } from '../core/index.ts';
import { createStepOutput, type StepOutput } from './step-output.ts';

export interface ExecaStepRunnerDeps {
  readonly redactor: Redactor;
  /** Lines kept for `outputTail` (default 40). */
  readonly tailLines?: number;
  /** Bytes kept for `outputTail` (default 8 KB). */
  readonly tailBytes?: number;
}

const FORCE_KILL_AFTER_MS = 5_000;
/** How long output may stay open after the step exited, held by processes it left in the background. */
const LEFTOVER_GRACE_MS = 2_000;

type Outcome = Omit<StepResult, 'durationMs' | 'outputTail'>;

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

/** Why the command cannot start at all, before anything is spawned. */
async function checkCwd(cwd: string): Promise<string | undefined> {
  try {
    const info = await stat(cwd);
    return info.isDirectory() ? undefined : `cwd ${cwd} is not a directory`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
}

function toProgram(command: StepCommand): readonly string[] | undefined {
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

function toOutcome(result: Settled, program: string, env: StepCommand['env']): Outcome {
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

async function spawnStep(
  command: StepCommand,
  [program = '', ...args]: readonly string[],
  options: StepRunOptions,
  output: StepOutput,
): Promise<Outcome> {
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
  subprocess.stdout?.on('data', (chunk: Buffer) => output.write('stdout', chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => output.write('stderr', chunk));
  const child = subprocess.nodeChildProcess;
  child.once('spawn', () => {
    try {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    } catch {
      // A failing listener must not crash the process from inside an event handler.
    }
  });
  let leftoverTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    leftoverTimer = setTimeout(() => {
      output.note(
        '[preflight] the step exited but processes it started kept its output open: they were stopped',
      );
      subprocess.kill();
    }, LEFTOVER_GRACE_MS);
  });
  try {
    const result: Settled = await subprocess;
    output.end();
    return toOutcome(result, program, command.env);
  } finally {
    clearTimeout(leftoverTimer);
  }
}

/**
 * Creates the StepRunner that runs `run` scripts with `bash -euo pipefail -c` and `argv` commands without a
 * shell, in exactly the environment given. A timeout or an abort kills the whole process tree. It never throws:
 * a command that cannot start is a `failed` result with a `failure` in words.
 */
export function createExecaStepRunner(deps: ExecaStepRunnerDeps): StepRunner {
  const tailLines = deps.tailLines ?? 40;
  const tailBytes = deps.tailBytes ?? 8 * 1024;
  return {
    async run(command, options) {
      const started = performance.now();
      const output = createStepOutput({
        redactor: deps.redactor,
        tailLines,
        tailBytes,
        ...(options.onLine ? { onLine: options.onLine } : {}),
      });
      const finish = (outcome: Outcome): StepResult => ({
        ...outcome,
        durationMs: Math.round(performance.now() - started),
        outputTail: output.tail(),
      });
      const program = toProgram(command);
      if (program === undefined)
        return finish({ outcome: 'failed', failure: 'the command has neither run nor argv' });
      const badCwd = await checkCwd(command.cwd);
      if (badCwd !== undefined) return finish({ outcome: 'failed', failure: badCwd });
      if (options.signal.aborted) return finish({ outcome: 'canceled' });
      try {
        return finish(await spawnStep(command, program, options, output));
      } catch (error) {
        return finish({ outcome: 'failed', failure: deps.redactor.redact(String(error)) });
      }
    },
  };
}
