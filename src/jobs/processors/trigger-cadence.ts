/** How often rollback triggers are judged: fine enough for their `failing_for`, whatever the health posts' pace. */
import type { Runbook } from '../../core/index.ts';

const MIN_MS = 1_000;
const MAX_MS = 60_000;

/**
 * A quarter of the shortest `failing_for` (a trigger then fires at most a quarter late), within 1 s … 1 min;
 * 1 min (or the fastest monitoring period, if faster) when no trigger has a `failing_for`.
 */
export function triggerCadence(runbook: Runbook): number {
  const spans = (runbook.rollback?.triggers ?? [])
    .map((t) => t.failing_for)
    .filter((ms): ms is number => ms !== undefined && ms > 0);
  const everies = (runbook.monitoring ?? []).map((w) => w.every ?? MAX_MS);
  const wanted = spans.length > 0 ? Math.min(...spans) / 4 : Math.min(MAX_MS, ...everies);
  return Math.min(MAX_MS, Math.max(MIN_MS, Math.floor(wanted)));
}

/** True when the runbook has triggers Preflight judges by itself (not only manual ones). */
export function hasJudgedTriggers(runbook: Runbook): boolean {
  return (runbook.rollback?.triggers ?? []).some((t) => !t.manual);
}
