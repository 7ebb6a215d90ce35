/**
 * `step.run`: runs one attempt of a deployment or rollback step, exactly once per attempt.
 *
 * The job id is the run id. If this job finds its own run id on a running step, an earlier processing of the
 * same job died: a saved result is applied; a live lease means the other process is still at it; otherwise the
 * step was interrupted and the state machine decides (retry an idempotent step, ask about any other).
 */
import { hostname } from 'node:os';
import { DelayedError, type Job } from 'bullmq';
import { applyEvent, type Deployment, findStep, isFinal, type StepResult } from '../../core/index.ts';
import type { StepJob } from '../job-types.ts';
import { killOrphan } from './kill-orphan.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { runStepCommand } from './run-step-command.ts';

const STATE_POLL_MS = 3_000;

function shouldStop(deployment: Deployment | undefined, phase: StepJob['phase']): boolean {
  if (!deployment || isFinal(deployment)) return true;
  return phase === 'deploy' && deployment.state === 'rolling_back';
}

/** Creates the step processor. */
export function createStepProcessor(deps: ProcessorDeps) {
  /** `current`: the deployment as this worker last wrote it; if anything changed it since, the commit re-reads. */
  const finish = async (data: StepJob, runId: string, result: StepResult, current?: Deployment) => {
    await applyEvent(
      deps.engine,
      data.deploymentId,
      {
        type: 'step.finish',
        phase: data.phase,
        step: data.step,
        runId,
        outcome: result.outcome,
        durationMs: result.durationMs,
        outputTail: result.outputTail,
        ...(result.exitCode !== undefined && { exitCode: result.exitCode }),
        ...(result.failure !== undefined && { failure: result.failure }),
      },
      current ? { current } : {},
    );
  };

  const recover = async (job: Job<StepJob>, runId: string, token: string | undefined) => {
    const saved = await deps.ledger.loadResult(runId);
    if (saved) {
      deps.log.warn({ runId }, 'step finished before its worker stopped; recording the saved result');
      await finish(job.data, runId, saved);
      return;
    }
    if (await deps.ledger.isHeld(runId)) {
      await job.moveToDelayed(Date.now() + deps.ledger.leaseMs, token);
      throw new DelayedError();
    }
    const orphan = await deps.ledger.loadProcess(runId);
    if (!(await killOrphan(orphan, runId)))
      deps.log.error({ runId, pid: orphan?.pid }, 'the interrupted step process would not die');
    deps.log.warn({ runId, step: job.data.step }, 'step was interrupted: its worker stopped while it ran');
    await applyEvent(deps.engine, job.data.deploymentId, {
      type: 'step.interrupt',
      phase: job.data.phase,
      step: job.data.step,
      runId,
    });
  };

  return async function processStep(job: Job<StepJob>, token?: string): Promise<void> {
    const data = job.data;
    const runId = job.id ?? `${data.deploymentId}~${data.step}~${data.attempt}`;
    const deployment = await deps.engine.store.get(data.deploymentId);
    const step = deployment && findStep(deployment, data.phase, data.step);
    if (!deployment || !step) return;
    if (step.status === 'running' && step.runId === runId) return recover(job, runId, token);
    if (step.status !== 'waiting' || step.attempt !== data.attempt || deployment.paused) return;
    if (step.notBefore !== undefined && step.notBefore > deps.engine.clock.now() + 50) {
      await job.moveToDelayed(step.notBefore, token);
      throw new DelayedError();
    }
    const started = await applyEvent(
      deps.engine,
      data.deploymentId,
      { type: 'step.start', phase: data.phase, step: data.step, runId, pid: process.pid, host: hostname() },
      { current: deployment },
    );
    if (!started.ok || !started.changed) return;
    const release = deps.ledger.hold(runId);
    const { signal, done } = deps.cancellation.register(data.deploymentId, started.deployment.revision);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const poll = setInterval(() => {
      void deps.engine.store.get(data.deploymentId).then((d) => {
        if (shouldStop(d, data.phase)) controller.abort(new Error('the deployment was stopped'));
      });
    }, STATE_POLL_MS);
    try {
      const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
      const result = await runStepCommand(deps, {
        runbook,
        deployment: started.deployment,
        phase: data.phase,
        step: data.step,
        attempt: data.attempt,
        runId,
        signal: controller.signal,
        onSpawn: (pid) => void deps.ledger.saveProcess(runId, { host: hostname(), pid }),
        onLine: (line) =>
          deps.log.debug(
            { deployment: data.deploymentId, step: data.step, attempt: data.attempt, line },
            'step output',
          ),
      });
      await deps.ledger.saveResult(runId, result);
      await finish(data, runId, result, started.deployment);
    } finally {
      clearInterval(poll);
      signal.removeEventListener('abort', onAbort);
      done();
      await release();
    }
  };
}
