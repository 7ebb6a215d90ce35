import { describe, expect, it } from 'vitest';
import { plainLiterals, transition } from '../../../src/core/index.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();

describe('step failures', () => {
  it('on_failure: ask waits for a decision; retry runs the step again', () => {
    const d = new Driver(runbook).approveAll().run('migrate', 'failed');
    expect(d.deployment.state).toBe('needs_decision');
    expect(d.deployment.decision).toMatchObject({ step: 'migrate', options: ['retry', 'skip', 'rollback'] });
    expect(d.deployment.decision?.reason).toBe('step "Migrate" failed with exit code 1');
    d.apply({ type: 'decide', choice: 'retry', by: 'ben' });
    expect(d.step('migrate')).toMatchObject({ status: 'waiting', attempt: 2 });
    d.run('migrate');
    expect(d.step('migrate').status).toBe('succeeded');
  });

  it('skip moves on; an unknown choice is explained', () => {
    const d = new Driver(runbook).approveAll().run('migrate', 'failed');
    expect(plainLiterals(d.refused({ type: 'decide', choice: 'ignore', by: 'ben' }).message)).toBe(
      '"ignore" is not a choice here; choose retry, skip, rollback',
    );
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    expect(d.step('migrate').status).toBe('skipped');
    expect(d.step('deploy').status).toBe('waiting');
  });

  it('retries an idempotent step with backoff, then on_failure: rollback rolls back', () => {
    const d = new Driver(runbook).approveAll().run('migrate').run('deploy', 'failed');
    expect(d.step('deploy')).toMatchObject({ status: 'waiting', attempt: 2, notBefore: d.now + 2000 });
    d.run('deploy', 'timed_out');
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.deployment.rollback?.reason).toBe('step "Deploy" timed out after 0s');
    expect(d.step('restore', 'rollback').status).toBe('waiting');
  });

  it('on_failure: stop fails the deployment and releases the lock', () => {
    const d = new Driver(runbook).approveAll().run('migrate').run('deploy');
    const result = transition({ runbook, now: d.now }, d.deployment, {
      type: 'step.start',
      phase: 'deploy',
      step: 'smoke',
      runId: 'r1',
    });
    if (!result.ok) throw result.error;
    const finished = transition({ runbook, now: d.now }, result.deployment, {
      type: 'step.finish',
      phase: 'deploy',
      step: 'smoke',
      runId: 'r1',
      outcome: 'failed',
      exitCode: 3,
      durationMs: 5,
      outputTail: 'boom',
    });
    expect(finished.ok && finished.deployment.state).toBe('failed');
    expect(finished.ok && finished.lock).toBe('release');
  });
});

describe('interrupted steps (a worker died while running them)', () => {
  it('never re-runs a non-idempotent step without a decision', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    d.apply({ type: 'step.interrupt', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    expect(d.deployment.state).toBe('needs_decision');
    expect(d.step('migrate').status).toBe('interrupted');
    expect(d.effects.some((e) => e.type === 'run-step')).toBe(false);
  });

  it('retries an idempotent step', () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-2' });
    d.apply({ type: 'step.interrupt', phase: 'deploy', step: 'deploy', runId: 'job-2' });
    expect(d.step('deploy')).toMatchObject({ status: 'waiting', attempt: 2 });
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'run-step', step: 'deploy', attempt: 2 }),
    );
  });

  it('counts the extra try an interrupted idempotent step without retries gets: attempt 2 of 2, not of 1', () => {
    const once = testRunbook(
      TEST_RUNBOOK.replace('idempotent: true, retries: 1, backoff: 2s', 'idempotent: true'),
    );
    const d = new Driver(once).approveAll().run('migrate');
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-2' });
    d.apply({ type: 'step.interrupt', phase: 'deploy', step: 'deploy', runId: 'job-2' });
    expect(d.step('deploy')).toMatchObject({ status: 'waiting', attempt: 2 });
    expect(JSON.stringify(d.effects)).toContain(
      '🔁 Step *Deploy* was interrupted when its worker stopped; retrying in',
    );
    expect(JSON.stringify(d.effects)).toContain('(attempt 2 of 2).');
  });

  it('ignores events from a run that no longer owns the step', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    const before = d.deployment;
    const result = transition({ runbook, now: d.now }, before, {
      type: 'step.finish',
      phase: 'deploy',
      step: 'migrate',
      runId: 'job-OTHER',
      outcome: 'succeeded',
      durationMs: 1,
      outputTail: '',
    });
    expect(result.ok && result.changed).toBe(false);
    expect(result.ok && result.deployment).toBe(before);
  });

  it('a second start of the same step changes nothing', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    const again = transition({ runbook, now: d.now }, d.deployment, {
      type: 'step.start',
      phase: 'deploy',
      step: 'migrate',
      runId: 'job-1b',
    });
    expect(again.ok && again.changed).toBe(false);
  });
});

describe('operator control', () => {
  it('abort cancels running steps and releases the lock; emergency also runs the stop command', () => {
    const d = new Driver(testRunbook(`${TEST_RUNBOOK}emergency: { stop: { run: "true" } }\n`)).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    // A refusal while a step runs says what to do instead.
    expect(d.refused({ type: 'decide', choice: 'skip', by: 'ann' })).toEqual({
      code: 'WRONG_STATE',
      message:
        'deployment shop-1 is running a step, so it cannot take that now; wait for the step to finish (/deploy status shows it), or /deploy abort',
    });
    d.apply({ type: 'abort', by: 'ann', emergency: true, reason: 'wrong build' });
    expect(d.deployment.state).toBe('aborted');
    expect(plainLiterals(d.deployment.outcome ?? '')).toBe('emergency stop by Ann: wrong build');
    expect(d.effectTypes()).toEqual(expect.arrayContaining(['cancel-steps', 'emergency-stop']));
    expect(d.refused({ type: 'pause', by: 'ann' })).toEqual({
      code: 'WRONG_STATE',
      message:
        'deployment shop-1 is aborted, so it cannot take that now; `/deploy start shop v1.2.3 production` tries it again; `/deploy status shop-1` shows how far it got; `/rollback shop-1` undoes what it did',
    });
  });

  it('reports an abort after the step it stopped has said how it ended', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    d.apply({ type: 'abort', by: 'ann', emergency: false, reason: 'wrong build' }, 1000);
    expect(d.effectTypes()).not.toContain('post:report');
    d.apply(
      {
        type: 'step.finish',
        phase: 'deploy',
        step: 'migrate',
        runId: 'job-1',
        outcome: 'canceled',
        durationMs: 1100,
        outputTail: '',
      },
      500,
    );
    const posts = d.effects.flatMap((e) => (e.type === 'post' ? [e.topic] : []));
    expect(posts.map((t) => t.kind)).toEqual(['step', 'report']);
    // The report says when and how it was aborted, not when the step stopped.
    expect(posts[1]).toMatchObject({ state: 'aborted', at: d.now - 500 });
    expect(plainLiterals((posts[1] as { outcome: string }).outcome)).toBe('aborted by Ann: wrong build');
    expect(d.deployment.heldReport).toBeUndefined();
  });

  it('reports a gate rejected while a step runs once that step is found interrupted (its worker died)', () => {
    const twoGates = testRunbook(
      TEST_RUNBOOK.replace(
        'run: "true", on_failure: stop }',
        'run: "true", needs: [late], on_failure: stop }',
      ).replace('gates:\n', 'gates:\n  late: { approvers: [dan] }\n'),
    );
    const d = new Driver(twoGates).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    d.apply({ type: 'gate.reject', gate: 'late', by: 'dan', reason: 'not today' });
    expect(d.deployment.state).toBe('failed');
    expect(d.effectTypes()).not.toContain('post:report');
    d.apply({ type: 'step.interrupt', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    expect(d.step('migrate').status).toBe('interrupted');
    expect(d.deployment.state).toBe('failed');
    expect(d.effectTypes()).toContain('post:report');
    expect(d.effectTypes()).not.toContain('run-step');
  });

  it('reports an abort once the step it stopped is found interrupted (its worker died)', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    d.apply({ type: 'abort', by: 'ann', emergency: false });
    expect(d.effectTypes()).not.toContain('post:report');
    d.apply({ type: 'step.interrupt', phase: 'deploy', step: 'migrate', runId: 'job-1' });
    expect(d.effectTypes()).toContain('post:report');
  });

  it('pause holds the next step; resume schedules it again', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'pause', by: 'ann' });
    const start = transition({ runbook, now: d.now }, d.deployment, {
      type: 'step.start',
      phase: 'deploy',
      step: 'migrate',
      runId: 'j',
    });
    expect(start.ok && start.changed).toBe(false);
    d.apply({ type: 'resume', by: 'ann' });
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'run-step', step: 'migrate', attempt: 1 }),
    );
  });
});

describe('a pause between timed steps', () => {
  it("keeps the steps' spacing after resume, and says so, instead of running them back to back", () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    const deploy = () => d.deployment.steps.find((s) => s.id === 'deploy');
    const planned = deploy()?.notBefore ?? 0;
    expect(deploy()?.status).toBe('waiting');
    d.apply({ type: 'pause', by: 'ann' });
    d.apply({ type: 'resume', by: 'ann' }, 30_000);
    expect(deploy()?.notBefore).toBe(planned + 30_000);
    expect(d.effects).toContainEqual(
      expect.objectContaining({ type: 'run-step', step: 'deploy', at: planned + 30_000 }),
    );
    const result = transition({ runbook, now: d.now }, d.deployment, { type: 'resume', by: 'ann' });
    expect(result.ok).toBe(false);
    expect(d.deployment.pausedAt).toBeUndefined();
    expect(d.audit).toContain('deployment.resumed');
  });

  it('tells the operator the remaining steps keep their spacing', () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    d.apply({ type: 'pause', by: 'ann' });
    const resumed = transition({ runbook, now: d.now + 12_000 }, d.deployment, { type: 'resume', by: 'ann' });
    expect(resumed.ok && resumed.reply).toBe(
      'resumed after 12s paused: the remaining steps keep their spacing (their +offset times move 12s later)',
    );
  });
});

describe('rollback', () => {
  it('runs rollback steps, asks before a confirm step, and ends rolled back', () => {
    const d = new Driver(runbook).approveAll().run('migrate').run('deploy').run('smoke');
    expect(d.deployment.state).toBe('succeeded');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'errors up' });
    expect(d.deployment.state).toBe('rolling_back');
    d.run('restore', 'succeeded', 'rollback');
    expect(d.deployment.state).toBe('needs_decision');
    expect(d.deployment.decision).toMatchObject({ phase: 'rollback', step: 'db', options: ['run', 'skip'] });
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    expect(d.deployment.state).toBe('rolled_back');
    expect(d.audit).toEqual(
      expect.arrayContaining(['rollback.requested', 'rollback.started', 'deployment.rolled_back']),
    );
  });

  it('asked by someone whose own approval does not count, says it waits for another approval', () => {
    const rb = testRunbook();
    const fourEyes = {
      ...rb,
      rollback: { ...rb.rollback, approval: { approvers: ['ann', 'ben'], required: 1, allow_self: false } },
    } as typeof rb;
    const d = new Driver(fourEyes).approveAll().run('migrate').run('deploy').run('smoke');
    const asked = transition({ runbook: fourEyes, now: d.now }, d.deployment, {
      type: 'rollback.request',
      by: 'ben',
      reason: 'errors up',
    });
    expect(asked.ok && asked.reply).toBe(
      'rollback asked; it runs once approved (0 of 1): your own approval does not count; it waits for 1 more approval, from Ann: the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback',
    );
    expect(asked.ok && asked.deployment.rollback?.started).toBe(false);
  });

  it('a rollback step failure asks retry or skip', () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'changed my mind' });
    d.run('restore', 'failed', 'rollback');
    expect(d.deployment.decision).toMatchObject({
      phase: 'rollback',
      step: 'restore',
      options: ['retry', 'skip'],
    });
  });

  it('a rollback step that failed and was skipped ends the rollback failed, the lock held', () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'changed my mind' });
    d.run('restore', 'failed', 'rollback');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    d.apply({ type: 'decide', choice: 'run', by: 'ben' });
    const runId = `job-db-${d.step('db', 'rollback').attempt}`;
    d.apply({ type: 'step.start', phase: 'rollback', step: 'db', runId });
    const ended = transition({ runbook, now: d.now }, d.deployment, {
      type: 'step.finish',
      phase: 'rollback',
      step: 'db',
      runId,
      outcome: 'succeeded',
      exitCode: 0,
      durationMs: 5,
      outputTail: '',
    });
    expect(ended.ok && ended.deployment.state).toBe('rollback_failed');
    expect(ended.ok && ended.deployment.outcome).toBe(
      'rollback incomplete: rollback step "Restore" failed and was skipped',
    );
    expect(ended.ok && ended.lock).toBe('hold');
  });

  it('a rollback step skipped before it ran (it asks first) still ends rolled back', () => {
    const d = new Driver(runbook).approveAll().run('migrate');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'changed my mind' });
    d.run('restore', 'succeeded', 'rollback');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    expect(d.deployment.state).toBe('rolled_back');
  });
});
