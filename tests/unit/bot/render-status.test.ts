import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../../src/bot/render/render-status.ts';
import { Driver, testRunbook } from '../../helpers/deployment-fixture.ts';
import { loadRepoRunbook } from '../../helpers/load-runbook.ts';

describe('the status block', () => {
  it('shows progress, gates, the running step and its lateness', () => {
    const d = new Driver(testRunbook()).approveAll();
    d.apply({ type: 'step.start', phase: 'deploy', step: 'migrate', runId: 'r' }, 25_000);
    const text = renderStatus({ deployment: d.deployment, runbook: d.runbook, now: d.now + 3_000 }).text;
    expect(text).toContain('🚀 *shop v1.2.3 → production* (shop-1): running a step');
    expect(text).toContain('[░░░░░░░░░░░░░░░░] 0/3 steps · elapsed 28s (steps planned over 20s)');
    expect(text).toContain('Gates: ✅ security (Dan) · ✅ operations (Ben, Cat)');
    expect(text).toContain('Now: step 1 Migrate, running for 3.0s (started 15s late)');
  });

  it('measures clock-time runbooks against their planned hours', () => {
    const sparkle = loadRepoRunbook('runbook.yaml');
    const d = new Driver(sparkle, Date.parse('2026-01-07T06:00:00Z'), 'wei');
    const text = renderStatus({
      deployment: { ...d.deployment, runStart: d.now },
      runbook: sparkle,
      now: d.now,
    }).text;
    expect(text).toContain('(steps planned 14:00–15:45 Asia/Shanghai)');
    expect(text).toContain('Requested by @{wei} at 14:00:00 (06:00:00 UTC)');
  });
});
