/**
 * A rollback asked for while a deployment step runs waits for that step to stop, however it stops: its worker
 * reports it canceled, or it is found interrupted (its worker died). Either way the rollback then runs; an
 * interrupted step is not a question about the deployment any more.
 */
import { describe, expect, it } from 'vitest';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

/** shop-1's first step runs and Ben asks for the rollback. */
function askedWhileRunning(): Driver {
  const d = new Driver(runbook).approveAll();
  d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' });
  return d.apply({ type: 'rollback.request', by: 'ben', reason: 'typed /rollback' });
}

describe('a rollback asked for while a step runs', () => {
  it('starts no rollback step until the running step has stopped', () => {
    const d = askedWhileRunning();
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.step('restore', 'rollback').status).toBe('pending');
    expect(d.effectTypes()).not.toContain('run-step');
    expect(d.effects).toContainEqual({
      type: 'post',
      topic: {
        kind: 'note',
        key: expect.stringMatching(/^rollback-waits:migrate:/),
        text: '⏳ The rollback starts once step *Migrate*, asked to stop, has stopped.',
      },
    });
  });

  it('runs once the step reports it was canceled', () => {
    const d = askedWhileRunning().apply({
      type: 'step.finish',
      phase: 'deploy',
      step: 'migrate',
      runId: 'job-migrate-1',
      outcome: 'canceled',
      durationMs: 100,
      outputTail: '',
    });
    expect(d.step('migrate').status).toBe('canceled');
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.step('restore', 'rollback').status).toBe('waiting');
  });

  it('runs once the step is found interrupted, asking nothing about it', () => {
    const d = askedWhileRunning().apply({
      type: 'step.interrupt',
      phase: 'deploy',
      step: 'migrate',
      runId: 'job-migrate-1',
    });
    expect(d.step('migrate').status).toBe('interrupted');
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.deployment.decision).toBeUndefined();
    expect(d.step('restore', 'rollback').status).toBe('waiting');
  });
});
