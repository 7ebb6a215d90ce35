/** Runs a step's command, then its verification, and judges the result against its expectations. */
import { resolve } from 'node:path';
import {
  buildStepEnv,
  checkExpectation,
  DEFAULT_TIMEOUT_MS,
  type Deployment,
  type Phase,
  type Runbook,
  type StepCommand,
  type StepResult,
  stepDefinition,
} from '../../core/index.ts';
import type { ProcessorDeps } from './processor-deps.ts';

export interface StepRunRequest {
  readonly runbook: Runbook;
  readonly deployment: Deployment;
  readonly phase: Phase;
  readonly step: string;
  readonly attempt: number;
  /** The job running this attempt, passed to the step as PREFLIGHT_RUN_ID. */
  readonly runId?: string;
  readonly signal: AbortSignal;
  readonly onSpawn?: (pid: number) => void;
  /** Each output line as it arrives, already redacted. */
  readonly onLine?: (line: string) => void;
}

interface CommandSpec {
  readonly run?: string | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly timeout?: number | undefined;
}

/** Builds the command to run for a runbook command spec. */
export function toStepCommand(deps: ProcessorDeps, request: StepRunRequest, spec: CommandSpec): StepCommand {
  const { runbook, deployment } = request;
  const env = buildStepEnv({
    runbook,
    deployment,
    phase: request.phase,
    step: request.step,
    attempt: request.attempt,
    path: deps.stepPath,
    home: deps.stepHome,
    secrets: deps.secrets.values(runbook.requires?.env ?? []),
    ...(request.runId !== undefined && { runId: request.runId }),
    ...(spec.env !== undefined && { stepEnv: spec.env }),
  });
  return {
    ...(spec.run !== undefined && { run: spec.run }),
    ...(spec.argv !== undefined && { argv: spec.argv }),
    cwd: resolve(deps.workdirFor(deployment.service), spec.cwd ?? '.'),
    env,
    timeoutMs: spec.timeout ?? DEFAULT_TIMEOUT_MS,
  };
}

function judged(
  result: StepResult,
  expect: Parameters<typeof checkExpectation>[0],
  label: string,
): StepResult {
  if (result.outcome !== 'succeeded' && result.outcome !== 'failed') return result;
  if (result.outcome === 'failed' && expect?.exit_code === undefined) return result;
  const verdict = checkExpectation(expect, { exitCode: result.exitCode, stdout: result.outputTail });
  if (verdict.passed) return { ...result, outcome: 'succeeded' };
  return { ...result, outcome: 'failed', failure: `${label}: ${verdict.detail}` };
}

/** Runs the step's command and, when it passed, its `verify`. */
export async function runStepCommand(deps: ProcessorDeps, request: StepRunRequest): Promise<StepResult> {
  const def = stepDefinition(request.runbook, request.phase, request.step);
  if (!def)
    return {
      outcome: 'failed',
      durationMs: 0,
      outputTail: '',
      failure: `the runbook has no step "${request.step}"`,
    };
  const options = {
    signal: request.signal,
    ...(request.onSpawn !== undefined && { onSpawn: request.onSpawn }),
    ...(request.onLine !== undefined && { onLine: request.onLine }),
  };
  const main = judged(
    await deps.runner.run(toStepCommand(deps, request, def), options),
    def.expect,
    'unexpected output',
  );
  if (main.outcome !== 'succeeded' || def.verify === undefined) return main;
  const verifySpec = typeof def.verify === 'string' ? { run: def.verify, timeout: def.timeout } : def.verify;
  const verifyExpect = typeof def.verify === 'string' ? undefined : def.verify.expect;
  const verify = judged(
    await deps.runner.run(toStepCommand(deps, request, verifySpec), { signal: request.signal }),
    verifyExpect,
    'verification',
  );
  const outputTail = [main.outputTail, verify.outputTail ? `--- verify ---\n${verify.outputTail}` : '']
    .filter(Boolean)
    .join('\n');
  const durationMs = main.durationMs + verify.durationMs;
  if (verify.outcome === 'succeeded') return { ...main, outputTail, durationMs };
  const failure = verify.failure ?? `verification failed with exit code ${verify.exitCode ?? 'unknown'}`;
  return {
    ...verify,
    outcome: verify.outcome === 'timed_out' ? 'timed_out' : 'failed',
    outputTail,
    durationMs,
    failure,
  };
}
