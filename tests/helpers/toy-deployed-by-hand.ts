/** How toy-1 of the sandbox ends when its people tick and approve it in chat as the sandbox's runbook asks. */
import { expect } from 'vitest';
import type { SlackHarness } from './slack-harness.ts';

/**
 * Waits (up to a minute) for toy-1 to settle, and expects it in monitoring: the three manual checklist items ticked
 * by their owners (bob, dave, carol), security approved by dave and operations by bob and carol.
 */
export async function expectToyMonitoredByItsPeople(h: Pick<SlackHarness, 'waitForState'>) {
  const deployment = await h.waitForState('toy-1', ['monitoring', 'failed', 'needs_decision'], 60_000);
  expect(deployment.state).toBe('monitoring');
  expect(deployment.checklist.map((c) => [c.id, c.status, c.by])).toEqual(
    expect.arrayContaining([
      ['release-notes', 'passed', 'bob'],
      ['security-scan', 'passed', 'dave'],
      ['support-told', 'passed', 'carol'],
    ]),
  );
  expect(deployment.gates.map((g) => [g.id, g.status, g.approvals.map((a) => a.by)])).toEqual([
    ['security', 'approved', ['dave']],
    ['operations', 'approved', ['bob', 'carol']],
  ]);
  return deployment;
}
