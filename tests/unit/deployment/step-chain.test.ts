import { describe, expect, it } from 'vitest';
import type { DeploymentEvent } from '../../../src/core/index.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

/** A finish of `step` that asks to start the next step at once under `next`. */
function finishChained(
  step: string,
  runId: string,
  next: string,
  outcome: 'succeeded' | 'failed' = 'succeeded',
  phase: 'deploy' | 'rollback' = 'deploy',
): DeploymentEvent {
  return {
    type: 'step.finish',
    phase,
    step,
    runId,
    outcome,
    exitCode: outcome === 'succeeded' ? 0 : 1,
    durationMs: 5,
    outputTail: '',
    next: { runId: next, pid: 42, host: 'worker-a' },
  };
}

/** Approved, with `migrate` and `deploy` run, so `smoke` (no time of its own) is next and `deploy` ran last. */
function atDeploy(): Driver {
  const d = new Driver(runbook).approveAll();
  d.now += 10_000;
  d.run('migrate');
  d.now += 10_000;
  d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-deploy' });
  return d;
}

describe('a finish that starts the next step at once', () => {
  it('starts a step due now in the same commit, under the given run id, with no job for it', () => {
    const d = atDeploy();
    const revision = d.deployment.revision;
    d.apply(finishChained('deploy', 'job-deploy', 'job-deploy+1'));
    expect(d.deployment.revision).toBe(revision + 1);
    expect(d.step('deploy').status).toBe('succeeded');
    expect(d.step('smoke')).toMatchObject({
      status: 'running',
      runId: 'job-deploy+1',
      pid: 42,
      host: 'worker-a',
    });
    expect(d.deployment.state).toBe('running');
    expect(d.effects.some((e) => e.type === 'run-step')).toBe(false);
    expect(d.audit.slice(-3)).toEqual(['step.succeeded', 'step.scheduled', 'step.started']);
  });

  it('leaves a step timed later to its job', () => {
    const d = new Driver(runbook).approveAll();
    d.now += 10_000;
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate' });
    d.apply(finishChained('migrate', 'job-migrate', 'job-migrate+1'));
    expect(d.step('deploy').status).toBe('waiting');
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'run-step', step: 'deploy', attempt: 1 }),
    );
  });

  it('leaves a retry after its backoff to its job', () => {
    const d = atDeploy();
    d.apply(finishChained('deploy', 'job-deploy', 'job-deploy+1', 'failed'));
    expect(d.step('deploy')).toMatchObject({ status: 'waiting', attempt: 2 });
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'run-step', step: 'deploy', attempt: 2 }),
    );
  });

  it('starts the first rollback step when a failure rolls back', () => {
    const d = atDeploy();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-deploy' });
    d.apply(finishChained('deploy', 'job-deploy', 'job-deploy+1', 'failed'), 2_000);
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-deploy-2' });
    d.apply(finishChained('deploy', 'job-deploy-2', 'job-deploy-2+1', 'failed'));
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.step('restore', 'rollback')).toMatchObject({ status: 'running', runId: 'job-deploy-2+1' });
    expect(d.effects.some((e) => e.type === 'run-step')).toBe(false);
  });

  it('starts nothing while the deployment is paused, and nothing on a stale finish', () => {
    const d = atDeploy();
    d.apply({ type: 'pause', by: 'ann' });
    d.apply(finishChained('deploy', 'job-deploy', 'job-deploy+1'));
    expect(d.step('smoke').status).not.toBe('running');
    const e = atDeploy();
    const revision = e.deployment.revision;
    e.apply(finishChained('deploy', 'someone-else', 'someone-else+1'));
    expect(e.deployment.revision).toBe(revision);
    expect(e.step('smoke').status).toBe('pending');
  });
});
