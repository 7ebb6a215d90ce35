/**
 * A rollback undoes what a deployment's steps did: before the first step started nothing was deployed, so a
 * person's /rollback (🔄, Roll back, `/deploy decide rollback`) is refused in core, whatever path asked.
 */
import { describe, expect, it } from 'vitest';
import { plainLiterals } from '../../../src/core/index.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const runbook = testRunbook();
const request = { type: 'rollback.request', by: 'ben', reason: 'typed /rollback' } as const;
const NOTHING =
  'nothing of shop-1 (shop v1.2.3) was deployed: no step of it has started, so there is nothing to roll back';

describe('a rollback before any step started', () => {
  it('is refused while the checklist runs, saying nothing was deployed and how to stop it', () => {
    const d = new Driver(runbook);
    expect(d.deployment.state).toBe('checklist');
    expect(d.refused(request)).toEqual({
      code: 'WRONG_STATE',
      message: `${NOTHING}. To stop it, \`/deploy abort shop-1\``,
    });
  });

  it('is refused while the deployment waits for approvals, which it can still get', () => {
    const d = new Driver(runbook);
    d.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: 'exit 0' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben' });
    expect(d.deployment.state).toBe('awaiting_gates');
    const before = d.deployment;
    expect(d.refused(request)).toEqual({
      code: 'WRONG_STATE',
      message: `${NOTHING}. To stop it, \`/deploy abort shop-1\``,
    });
    expect(d.deployment).toBe(before);
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'cat' });
    expect(d.step('migrate').status).toBe('waiting');
  });

  it('is refused once approved, while the first step waits for its time; the deployment can still be aborted', () => {
    const d = new Driver(runbook).approveAll();
    expect(d.deployment.state).toBe('scheduled');
    expect(d.refused(request).message).toBe(`${NOTHING}. To stop it, \`/deploy abort shop-1\``);
    d.apply({ type: 'abort', by: 'ann', emergency: false });
    expect(d.deployment.state).toBe('aborted');
  });

  it('is refused after an abort before the first step, and the abort refusal no longer offers /rollback', () => {
    const d = new Driver(runbook).approveAll().apply({ type: 'abort', by: 'ann', emergency: false });
    expect(d.refused(request)).toEqual({
      code: 'WRONG_STATE',
      message: `${NOTHING}; shop in production was left as it was`,
    });
    expect(d.refused({ type: 'pause', by: 'ann' }).message).toBe(
      'deployment shop-1 is aborted, so it cannot take that now; `/deploy start shop v1.2.3 production` tries it again; `/deploy status shop-1` shows how far it got',
    );
  });

  it('is not offered when the first step comes due after the deployment window closed', () => {
    const windowed = testRunbook(
      TEST_RUNBOOK.replace('timezone: UTC\n', 'timezone: UTC\nwindow: { start: "06:00", end: "06:30" }\n'),
    );
    const d = new Driver(windowed).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' }, 40 * 60_000);
    expect(d.deployment.decision).toMatchObject({
      options: ['run'],
      reason:
        'the deployment window (06:00–06:30 UTC) closed before step "Migrate" could start. Run the rest outside the window or /deploy abort',
    });
    expect(plainLiterals(d.refused({ type: 'decide', choice: 'rollback', by: 'ben' }).message)).toBe(
      '"rollback" is not a choice here; choose run',
    );
  });
});

describe('a rollback once a step has started', () => {
  it('is asked for while the first step runs', () => {
    const d = new Driver(runbook).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'job-migrate-1' });
    d.apply(request);
    expect(d.deployment.state).toBe('rolling_back');
  });

  it('is chosen with /deploy decide after the first step failed', () => {
    const d = new Driver(runbook).approveAll().run('migrate', 'failed');
    expect(d.deployment.decision?.options).toContain('rollback');
    d.apply({ type: 'decide', choice: 'rollback', by: 'ben' });
    expect(d.deployment.state).toBe('rolling_back');
  });

  it("is Preflight's own when the first step fails with on_failure: rollback", () => {
    const first = testRunbook(
      TEST_RUNBOOK.replace('run: "true", on_failure: ask', 'run: "true", on_failure: rollback'),
    );
    const d = new Driver(first).approveAll().run('migrate', 'failed');
    expect(d.deployment.state).toBe('rolling_back');
    expect(d.deployment.rollback).toMatchObject({ by: 'preflight', started: true });
  });

  it('is still offered when a later step comes due after the deployment window closed', () => {
    const windowed = testRunbook(
      TEST_RUNBOOK.replace('timezone: UTC\n', 'timezone: UTC\nwindow: { start: "06:00", end: "06:30" }\n'),
    );
    const d = new Driver(windowed).approveAll().run('migrate', 'succeeded');
    d.apply({ type: 'step.start', phase: 'deploy', step: 'deploy', runId: 'job-deploy-1' }, 40 * 60_000);
    expect(d.deployment.decision).toMatchObject({ step: 'deploy', options: ['run', 'rollback'] });
    d.apply({ type: 'decide', choice: 'rollback', by: 'ben' });
    expect(d.deployment.state).toBe('rolling_back');
  });
});
