import { describe, expect, it } from 'vitest';
import { renderGate } from '../../../src/bot/render/render-gates.ts';
import { renderRollback } from '../../../src/bot/render/render-rollback.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';

const ctx = (d: Driver) => ({ deployment: d.deployment, runbook: d.runbook, now: d.now });
const refreshes = (d: Driver) => d.effects.filter((e) => e.type === 'refresh').map((e) => e.topic);

describe('the rollback message', () => {
  it('is redrawn as its steps run, and ends saying how the rollback ended', () => {
    const d = new Driver(testRunbook()).approveAll().run('migrate').run('deploy').run('smoke');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'errors up' });
    const at = d.deployment.rollback?.at;
    d.apply({ type: 'step.start', phase: 'rollback', step: 'restore', runId: 'job-restore-1' });
    expect(refreshes(d)).toContainEqual({ kind: 'rollback', at });
    expect(renderRollback(ctx(d)).text).toContain('⏳ Restore');
    d.apply({
      type: 'step.finish',
      phase: 'rollback',
      step: 'restore',
      runId: 'job-restore-1',
      outcome: 'succeeded',
      exitCode: 0,
      durationMs: 100,
      outputTail: '',
    });
    expect(refreshes(d)).toContainEqual({ kind: 'rollback', at });
    expect(renderRollback(ctx(d)).text).toContain('Waiting for a decision: see the question in this thread.');
    d.apply({ type: 'decide', choice: 'skip', by: 'ben' });
    expect(refreshes(d)).toContainEqual({ kind: 'rollback', at });
    const text = renderRollback(ctx(d)).text;
    expect(text).toContain('✅ Restore');
    expect(text).toMatch(/Rolled back\.$/);
    expect(text).not.toContain('⏳');
  });

  it('says who approved it', () => {
    const rb = testRunbook();
    const runbook = { ...rb, rollback: { ...rb.rollback, approval: { approvers: ['cat'], required: 1 } } };
    const d = new Driver(runbook as typeof rb).approveAll().run('migrate').run('deploy').run('smoke');
    d.apply({ type: 'rollback.request', by: 'ben', reason: 'errors up' });
    d.apply({ type: 'rollback.approve', by: 'cat' }, 60_000);
    expect(renderRollback(ctx(d)).text).toContain('Approved by Cat at 06:01:00 UTC.');
  });
});

describe('a gate still open when the deployment ends', () => {
  it('is redrawn as no longer needed, without asking anyone', () => {
    const d = new Driver(testRunbook()).apply({
      type: 'checklist.result',
      item: 'auto',
      passed: true,
      detail: '',
    });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben' });
    d.apply({ type: 'gate.reject', gate: 'security', by: 'dan', reason: 'CVE open' });
    expect(d.deployment.state).toBe('failed');
    expect(refreshes(d)).toContainEqual({ kind: 'gate', gate: 'operations' });
    const operations = renderGate(ctx(d), 'operations');
    expect(operations.text).toBe(
      '⏹️ *operations* gate: no longer needed, the deployment is finished (failed) (0 of 2 approvals)',
    );
    expect(operations.buttons).toBeUndefined();
  });
});
