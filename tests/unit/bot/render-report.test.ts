import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src/bot/render/render-report.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

describe('the final report', () => {
  it('lists the rollback steps by title, numbered like the deploy steps', () => {
    const d = new Driver(testRunbook()).approveAll().run('migrate').run('deploy', 'failed');
    d.run('deploy', 'timed_out').run('restore', 'succeeded', 'rollback');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' }); // the confirm step asks first
    expect(d.deployment.state).toBe('rolled_back');
    const text = renderReport(
      { deployment: d.deployment, runbook: d.runbook, now: d.now },
      'rolled_back',
    ).text;
    expect(text).toMatch(/\nRollback:\n {2}1\. Restore: succeeded [\d.]+s\n {2}2\. /);
    expect(text).toContain('  1. Migrate: succeeded');
  });

  it('says a step that failed and was skipped failed, in the steps and in the rollback', () => {
    const d = new Driver(testRunbook()).approveAll().run('migrate', 'failed');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'undo' });
    d.run('restore', 'failed', 'rollback');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' }); // the confirm step asks first
    expect(d.deployment.state).toBe('rollback_failed');
    const text = renderReport(
      { deployment: d.deployment, runbook: d.runbook, now: d.now },
      'rollback_failed',
    ).text;
    expect(text).toContain('  1. Migrate: failed, then skipped');
    expect(text).toMatch(/\n {2}1\. Restore: failed, then skipped [\d.]+s\n {2}2\. Restore DB: skipped\n/);
  });

  it('gives each step its planned time and the clock time it started, also after a pause', () => {
    const d = new Driver(testRunbook()).approveAll();
    d.apply({ type: 'pause', by: 'ben' }, 2_000);
    d.apply({ type: 'resume', by: 'ben' }, 30_000);
    d.run('migrate').run('deploy').run('smoke');
    const text = renderReport({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'succeeded').text;
    expect(text).toMatch(/1\. Migrate: succeeded [\d.]+m?s planned \+10s, started \d\d:\d\d:\d\d UTC/);
    expect(text).not.toContain('+-');
  });

  it('says what became of each step of an aborted deployment: canceled while waiting, being stopped while running', () => {
    const waiting = new Driver(testRunbook()).approveAll();
    waiting.apply({ type: 'abort', by: 'ben', emergency: false });
    expect(waiting.step('migrate').status).toBe('canceled');
    const first = renderReport(
      { deployment: waiting.deployment, runbook: waiting.runbook, now: waiting.now },
      'aborted',
    ).text;
    expect(first).toContain('1. Migrate: canceled');

    const running = new Driver(testRunbook()).approveAll();
    running.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'r' }, 10_000);
    running.apply({ type: 'abort', by: 'ben', emergency: false });
    const second = renderReport(
      { deployment: running.deployment, runbook: running.runbook, now: running.now },
      'aborted',
    ).text;
    expect(second).toContain('1. Migrate: running when stopped');
  });

  it('lists as approved only the gates that were: one an approver rejected later is not', () => {
    const d = new Driver(testRunbook()).approveAll();
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan', reason: 'new CVE' });
    const text = renderReport({ deployment: d.deployment, runbook: d.runbook, now: d.now }, 'failed').text;
    expect(text).toContain('Approved by: operations: Ben, Cat');
    expect(text).not.toMatch(/Approved by:.*security/);
  });
});
