/**
 * The histograms' series at start: one per label set a runbook can produce (its step phases and outcomes, its
 * gates' outcomes, each chat's lag), at 0, and none for what a runbook does not have, so the count stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/infra/metrics.ts';

/** The distinct label sets (without `le`) a histogram shows. */
function labelSets(text: string, name: string): string[] {
  const sets = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}_count{`))
    .map((line) => line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1));
  return [...new Set(sets)].sort();
}

describe('histograms primed at start', () => {
  it('show each runbook its own phases and gate outcomes, empty, and nothing more', async () => {
    const metrics = createMetrics();
    metrics.prime({
      services: ['shop', 'cart'],
      levels: ['L1'],
      platforms: ['slack'],
      pagerduty: false,
      runbooks: [
        { service: 'shop', phases: ['deploy', 'rollback'], gates: true },
        { service: 'cart', phases: ['deploy'], gates: false },
      ],
    });
    const text = (await metrics.render()).body;
    const steps = labelSets(text, 'preflight_step_duration_seconds');
    expect(steps).toHaveLength(4 + 4 + 4);
    expect(steps).toContain('{service="shop",phase="rollback",outcome="timed_out"}');
    expect(steps.filter((s) => s.includes('"cart"') && s.includes('rollback'))).toEqual([]);
    expect(labelSets(text, 'preflight_gate_wait_seconds')).toEqual([
      '{service="shop",outcome="approved"}',
      '{service="shop",outcome="expired"}',
      '{service="shop",outcome="rejected"}',
    ]);
    expect(labelSets(text, 'preflight_chat_send_lag_seconds')).toEqual(['{platform="slack"}']);
    const counts = text
      .split('\n')
      .filter((l) => /^preflight_(step_duration|gate_wait|chat_send_lag)_seconds_count/.test(l));
    expect(counts.every((l) => l.endsWith(' 0'))).toBe(true);
  });
});
