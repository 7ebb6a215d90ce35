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
    expect(text).toContain(
      '[░░░░░░░░░░░░░░░░] 0/3 steps · under way since 06:00:00 UTC (steps planned over 20s)',
    );
    expect(text).toContain('Gates: ✅ security (Dan) · ✅ operations (Ben, Cat)');
    expect(text).toContain('Now: step 1 Migrate, running since 06:00:25 UTC (started 15s late)');
    // The same message read later says the same true thing: nothing in it is a duration that goes stale.
    expect(renderStatus({ deployment: d.deployment, runbook: d.runbook, now: d.now + 60_000 }).text).toBe(
      text,
    );
  });

  it('says how long a finished deployment took', () => {
    const d = new Driver(testRunbook()).approveAll();
    d.run('migrate').run('deploy').run('smoke');
    const text = renderStatus({ deployment: d.deployment, runbook: d.runbook, now: d.now + 60_000 }).text;
    expect(text).toMatch(/3\/3 steps · took \d/);
    expect(text).not.toContain('under way');
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
