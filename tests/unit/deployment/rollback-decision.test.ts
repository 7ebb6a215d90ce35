/**
 * A rollback that waits for a decision on one of its steps (a step with `confirm: true`, or one that failed) goes on
 * only by that decision: a /rollback, 🔄 or Roll back meanwhile (the incident's button, whoever presses it) is
 * refused with the decision to take, instead of running the rollback again from its first step.
 */
import { describe, expect, it } from 'vitest';
import { offersRollback } from '../../../src/core/deployment/rollback-offer.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();
const again = { type: 'rollback.request', by: 'ann', reason: 'typed /rollback' } as const;

/** shop-1 deployed its first step and is rolling back: Ben asked, and its first rollback step ran to `outcome`. */
function rollingBack(outcome: 'succeeded' | 'failed'): Driver {
  const d = new Driver(runbook).approveAll().run('migrate', 'succeeded');
  d.apply({ type: 'rollback.request', by: 'ben', reason: 'typed /rollback' });
  return d.run('restore', outcome, 'rollback');
}

describe('a rollback asked for again while it waits for a decision', () => {
  it('is refused while a rollback step asks to be confirmed, naming the answer', () => {
    const d = rollingBack('succeeded');
    expect(d.deployment.decision).toMatchObject({ phase: 'rollback', step: 'db', options: ['run', 'skip'] });
    const before = d.deployment;
    expect(d.refused(again)).toEqual({
      code: 'WRONG_STATE',
      message:
        'the rollback of shop-1 is under way and waits for a decision on its step "Restore DB"; answer it with `/deploy decide run|skip shop-1` (asking for the rollback again would run its steps from the first)',
    });
    expect(d.deployment).toBe(before);
    expect(offersRollback(runbook, d.deployment)).toBe(false);
    d.apply({ type: 'decide', choice: 'run', by: 'ben' });
    expect(d.step('restore', 'rollback')).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(d.step('db', 'rollback').status).toBe('waiting');
  });

  it('is refused after a rollback step failed, so the step that succeeded is not run again', () => {
    const d = rollingBack('failed');
    expect(d.deployment.decision).toMatchObject({ phase: 'rollback', options: ['retry', 'skip'] });
    expect(d.refused(again).message).toContain('answer it with `/deploy decide retry|skip shop-1`');
  });

  it('is still asked for from a decision about a deployment step', () => {
    const d = new Driver(runbook).approveAll().run('migrate', 'failed');
    expect(d.deployment.decision?.phase).toBe('deploy');
    expect(offersRollback(runbook, d.deployment)).toBe(true);
    d.apply(again);
    expect(d.deployment.state).toBe('rolling_back');
  });
});
