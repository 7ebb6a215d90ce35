/**
 * A due timer that no worker takes stays `delayed` in BullMQ, never `waiting`: the overdue reading behind
 * preflight_queue_overdue_seconds (and PreflightTimersLate) sees it; the count of waiting jobs does not.
 */
import { describe, expect, it } from 'vitest';
import { useEngineSuite } from '../helpers/engine-suite.ts';
import { oneGateRunbook } from '../helpers/one-gate-runbook.ts';
import { waitFor } from '../helpers/slack-harness.ts';

const suite = useEngineSuite();

describe('how late a queue is', () => {
  it('grows while a due escalation page waits for a worker, which the waiting count never shows', async () => {
    // A producer-only process: nothing takes the timer, as when every worker is stopped.
    const h = await suite.start({ runbook: oneGateRunbook('svc'), work: false });
    const { jobs } = h.preflight;
    expect(await jobs.overdueMs(Date.now())).toEqual({ 'pf-steps': 0, 'pf-checks': 0, 'pf-timers': 0 });
    const page = { kind: 'incident.page', incidentId: 'INC-1', page: { level: 1, repeat: 0 } };
    await jobs.queues.timers.add('incident.page', page as never, { delay: 50, jobId: 'late-page' });
    await jobs.queues.timers.add('incident.page', page as never, { delay: 3_600_000, jobId: 'next-hour' });
    const late = await waitFor('the page to be overdue', async () => {
      const overdue = await jobs.overdueMs(Date.now());
      return (overdue['pf-timers'] ?? 0) > 0 && overdue;
    });
    expect(late['pf-steps']).toBe(0);
    expect(await jobs.queues.timers.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 2 });
  });
});
