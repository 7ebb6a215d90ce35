/**
 * `step.run`: runs one attempt of a deployment or rollback step, exactly once per attempt, and then each next
 * step its finish starts at once (a chain: `step.finish` with `next`), so a deployment's steps follow each other
 * without a job hand-over between them.
 *
 * The job id is the root of every run id it owns: the job's own attempt runs as the job id, the steps it chains
 * as `<job id>+<n>`. If this job finds one of its run ids on a running step, an earlier processing of the same
 * job died, or the job guards a step a person's commit started (`runStarted`): a live lease means the process
 * running it is at it; a saved result is applied; otherwise the step was interrupted and the state machine decides
 * (retry an idempotent step, ask about any other).
 */
import { hostname } from 'node:os';
import { DelayedError, type Job } from 'bullmq';
import {
  applyEvent,
  type Deployment,
  findStep,
  holdForInput,
  isFinal,
  type Phase,
  type StepResult,
  type StepRun,
} from '../../core/index.ts';
import type { StepJob } from '../job-types.ts';
import { killOrphan } from './kill-orphan.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { runStepCommand } from './run-step-command.ts';

const STATE_POLL_MS = 3_000;

/** One attempt this job runs: the step, its run id, and the deployment as its start commit left it. */
interface Run {
  readonly phase: Phase;
  readonly step: string;
  readonly attempt: number;
  readonly runId: string;
  readonly deployment: Deployment;
}

function shouldStop(deployment: Deployment | undefined, phase: Phase): boolean {
  if (!deployment || isFinal(deployment)) return true;
  return phase === 'deploy' && deployment.state === 'rolling_back';
}

/**
 * True once the deployment no longer holds `run` as running: a worker that found the run's lease lapsed (this one
 * was cut off from Redis, or frozen) called it interrupted and may run the step again. Where that worker could not
 * kill this process (it runs on another host), this run must stop itself, or the step would run twice at once.
 */
function handedOn(deployment: Deployment, run: Run): boolean {
  const step = findStep(deployment, run.phase, run.step);
  return step?.status !== 'running' || step.runId !== run.runId;
}

function stepsOf(d: Deployment): [Phase, readonly StepRun[]][] {
  return [
    ['deploy', d.steps],
    ['rollback', d.rollback?.steps ?? []],
  ];
}

/** The running step whose run id passes `owned`, if any. */
function running(d: Deployment, owned: (runId: string) => boolean): Run | undefined {
  for (const [phase, steps] of stepsOf(d)) {
    const s = steps.find((x) => x.status === 'running' && x.runId !== undefined && owned(x.runId));
    if (s?.runId) return { phase, step: s.id, attempt: s.attempt, runId: s.runId, deployment: d };
  }
  return undefined;
}

/**
 * Creates the step processor. `chaining()` false (the worker is shutting down) ends each chain at the current
 * step: the next one is left to its job, for whichever worker is still running, instead of holding this one up.
 */
export function createStepProcessor(deps: ProcessorDeps, chaining: () => boolean = () => true) {
  const host = hostname();

  /** Records a result; with `next`, the step the finish asks for starts in the same commit under that run id. */
  const finish = async (run: Run, result: StepResult, current?: Deployment, next?: string) =>
    applyEvent(
      deps.engine,
      run.deployment.id,
      {
        type: 'step.finish',
        phase: run.phase,
        step: run.step,
        runId: run.runId,
        outcome: result.outcome,
        durationMs: result.durationMs,
        outputTail: result.outputTail,
        ...(result.exitCode !== undefined && { exitCode: result.exitCode }),
        ...(result.failure !== undefined && { failure: result.failure }),
        ...(next !== undefined && { next: { runId: next, pid: process.pid, host } }),
      },
      current ? { current } : {},
    );

  const recover = async (job: Job<StepJob>, run: Run, token: string | undefined) => {
    const { runId } = run;
    // A live lease: the process running it is at it (a started step's guard comes by while its chain runs, and a
    // result just saved is about to be committed by that process).
    if (await deps.ledger.isHeld(runId)) {
      await job.moveToDelayed(Date.now() + deps.ledger.leaseMs, token);
      throw new DelayedError();
    }
    const saved = await deps.ledger.loadResult(runId);
    if (saved) {
      deps.log.warn({ runId }, 'step finished before its worker stopped; recording the saved result');
      await finish(run, saved);
      return;
    }
    const orphan = await deps.ledger.loadProcess(runId);
    if (!(await killOrphan(orphan, runId)))
      deps.log.error({ runId, pid: orphan?.pid }, 'the interrupted step process would not die');
    deps.log.warn({ runId, step: run.step }, 'step was interrupted: its worker stopped while it ran');
    await applyEvent(deps.engine, run.deployment.id, {
      type: 'step.interrupt',
      phase: run.phase,
      step: run.step,
      runId,
    });
  };

  /**
   * Runs one started attempt to its result. The result is saved for recovery alongside its commit, not before it:
   * whichever of the two lands, a crash loses nothing (a commit records the result itself; a saved result alone
   * is applied by recovery), and the next step does not wait on the extra round trip.
   */
  const execute = async (run: Run): Promise<{ result: StepResult; saved: Promise<void> }> => {
    const { deployment, runId } = run;
    const { signal, done } = deps.cancellation.register(deployment.id, deployment.revision);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const poll = setInterval(() => {
      // A read that fails (Redis switching primaries) is skipped: the step runs on and the next poll reads again.
      deps.engine.store.get(deployment.id).then(
        (d) => {
          if (shouldStop(d, run.phase)) controller.abort(new Error('the deployment was stopped'));
          else if (d && handedOn(d, run)) {
            deps.log.warn(
              { runId, step: run.step },
              'step stopped: another worker took it over while this one could not renew its lease',
            );
            controller.abort(new Error('the run was taken over by another worker'));
          }
        },
        () => undefined,
      );
    }, STATE_POLL_MS);
    try {
      const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
      const result = await runStepCommand(deps, {
        runbook,
        deployment,
        phase: run.phase,
        step: run.step,
        attempt: run.attempt,
        runId,
        signal: controller.signal,
        onSpawn: (pid) => void deps.ledger.saveProcess(runId, { host, pid }).catch(() => undefined),
        onLine: (line) =>
          deps.log.debug(
            { deployment: deployment.id, step: run.step, attempt: run.attempt, line },
            'step output',
          ),
      });
      const saved = deps.ledger.saveResult(runId, result).catch((error: unknown) => {
        deps.log.warn({ err: error, runId }, 'the step result was not saved for recovery');
      });
      return { result, saved };
    } finally {
      clearInterval(poll);
      signal.removeEventListener('abort', onAbort);
      done();
    }
  };

  /**
   * Runs a claimed attempt and each next step its finish starts, under one lease for the chain, let go once its last
   * result is committed (or the chain failed): until then a second worker must not call a run of it interrupted.
   */
  const runChain = async (rootRunId: string, first: Run): Promise<void> => {
    let run: Run | undefined = first;
    const release = deps.ledger.hold(rootRunId);
    try {
      for (let n = 1; run; n++) {
        const { result, saved } = await execute(run);
        const next = chaining() ? `${rootRunId}+${n}` : undefined;
        const finished = await finish(run, result, run.deployment, next);
        await saved;
        run =
          next && finished.ok && finished.changed
            ? running(finished.deployment, (id) => id === next)
            : undefined;
      }
    } finally {
      await release().catch(() => undefined);
    }
  };

  async function processStep(job: Job<StepJob>, token?: string): Promise<void> {
    const data = job.data;
    const jobRunId = job.id ?? `${data.deploymentId}~${data.step}~${data.attempt}`;
    const deployment = await deps.engine.store.get(data.deploymentId);
    const step = deployment && findStep(deployment, data.phase, data.step);
    if (!deployment || !step) return;
    // Its own attempt, or one it chained (`<job id>+<n>`).
    const owned = running(deployment, (id) => id === jobRunId || id.startsWith(`${jobRunId}+`));
    if (owned) return recover(job, owned, token);
    if (step.status !== 'waiting' || step.attempt !== data.attempt || deployment.paused) return;
    if (step.notBefore !== undefined && step.notBefore > deps.engine.clock.now() + 50) {
      await job.moveToDelayed(step.notBefore, token);
      throw new DelayedError();
    }
    // What people said before the step came due (a pause, an abort) is applied first.
    const due = step.notBefore ?? job.timestamp;
    const again = await holdForInput(deps.input, due, deps.engine.clock.now());
    if (again !== undefined) {
      await job.moveToDelayed(again, token);
      throw new DelayedError();
    }
    const started = await applyEvent(
      deps.engine,
      data.deploymentId,
      { type: 'step.start', phase: data.phase, step: data.step, runId: jobRunId, pid: process.pid, host },
      { current: deployment },
    );
    if (!started.ok || !started.changed) return;
    // The start may have been turned down in its own commit (the deployment window had closed: people decide).
    const claimed = findStep(started.deployment, data.phase, data.step);
    if (claimed?.status !== 'running' || claimed.runId !== jobRunId) return;
    await runChain(jobRunId, { ...data, runId: jobRunId, deployment: started.deployment });
  }

  /**
   * Runs a step this process started in the commit of a person's action (`StepStartOffer`), with no job
   * hand-over; its guard job, due later, finds the run held or takes it over if this process died.
   */
  const runStarted = (deployment: Deployment, phase: Phase, runId: string): Promise<void> => {
    const run = running(deployment, (id) => id === runId);
    return run && run.phase === phase ? runChain(runId, run) : Promise.resolve();
  };

  return { processStep, runStarted };
}
