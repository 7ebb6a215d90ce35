/** Runs step commands as real processes with execa: a clean environment, a killable process tree, redacted output. */
import { stat } from 'node:fs/promises';
import type { Redactor, StepResult, StepRunner } from '../core/index.ts';
import { createStepOutput } from './step-output.ts';
import {
  type SpawnStep,
  type StepOutcomeOnly,
  StepProcessLost,
  spawnStep,
  toProgram,
} from './step-process.ts';

export interface ExecaStepRunnerDeps {
  readonly redactor: Redactor;
  /** Lines kept for `outputTail` (default 40). */
  readonly tailLines?: number;
  /** Bytes kept for `outputTail` (default 8 KB). */
  readonly tailBytes?: number;
  /** Starts the process; by default from this process (the step launcher passes its own). */
  readonly spawn?: SpawnStep;
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

/**
 * Creates the StepRunner that runs `run` scripts with `bash -euo pipefail -c` and `argv` commands without a
 * shell, in exactly the environment given. A timeout or an abort kills the whole process tree. A command that
 * cannot start is a `failed` result with a `failure` in words; it throws only StepProcessLost.
 */
export function createExecaStepRunner(deps: ExecaStepRunnerDeps): StepRunner {
  const tailLines = deps.tailLines ?? 40;
  const tailBytes = deps.tailBytes ?? 8 * 1024;
  const spawn = deps.spawn ?? spawnStep;
  return {
    async run(command, options) {
      const started = performance.now();
      const output = createStepOutput({
        redactor: deps.redactor,
        tailLines,
        tailBytes,
        ...(options.onLine ? { onLine: options.onLine } : {}),
      });
      const finish = (outcome: StepOutcomeOnly): StepResult => ({
        ...outcome,
        durationMs: Math.round(performance.now() - started),
        outputTail: output.tail(),
      });
      const program = toProgram(command);
      if (program === undefined)
        return finish({ outcome: 'failed', failure: 'the command has neither run nor argv' });
      if (options.signal.aborted) return finish({ outcome: 'canceled' });
      try {
        let spawned = false;
        const onSpawn = (pid: number) => {
          spawned = true;
          options.onSpawn?.(pid);
        };
        const outcome = await spawn(command, program, { signal: options.signal, onSpawn }, output);
        output.end();
        // A missing folder fails the spawn like a missing program; it is told apart only then, off the step's path.
        const badCwd = spawned ? undefined : await checkCwd(command.cwd);
        return finish(badCwd === undefined ? outcome : { outcome: 'failed', failure: badCwd });
      } catch (error) {
        if (error instanceof StepProcessLost) throw error;
        return finish({ outcome: 'failed', failure: deps.redactor.redact(String(error)) });
      }
    },
  };
}
