import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../../src/core/index.ts';
import { Driver, TEST_RUNBOOK, testRunbook } from '../../helpers/deployment-fixture.ts';

const closedWindow = (outside: string) =>
  testRunbook(
    TEST_RUNBOOK.replace(
      'timezone: UTC',
      `timezone: UTC\nwindow: { start: "14:00", end: "16:00", outside: ${outside}${outside === 'override' ? ', override_gate: after-hours' : ''} }`,
    ).replace('gates:\n', 'gates:\n  after-hours: { title: After-hours go-ahead, approvers: [dan] }\n'),
  );
const evening = Date.parse('2026-01-07T20:00:00Z');

describe('starting outside the deployment window', () => {
  it('is refused with the next opening when the runbook says refuse', () => {
    const result = createDeployment(
      { runbook: closedWindow('refuse'), now: evening },
      { id: 'x', version: 'v1.0.0', requestedBy: 'ann', runbookDigest: 'd' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('WINDOW_CLOSED');
      expect(result.error.message).toBe(
        'the shop deployment window (14:00–16:00 UTC) is closed: it opens next at 2026-01-08 14:00 +00:00 (2026-01-08 14:00 UTC)',
      );
    }
  });

  it('names the next night the window exists when the clocks skip its hours tonight', () => {
    // 2026-03-29 in Europe/Berlin: 02:00 → 03:00, so a Sunday 02:00–03:00 window is not open that night.
    const runbook = testRunbook(
      TEST_RUNBOOK.replace(
        'timezone: UTC',
        'timezone: Europe/Berlin\nwindow: { start: "02:00", end: "03:00", days: [sun] }',
      ),
    );
    const result = createDeployment(
      { runbook, now: Date.parse('2026-03-29T01:30:00+01:00') },
      { id: 'x', version: 'v1.0.0', requestedBy: 'ann', runbookDigest: 'd' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toBe(
        'the shop deployment window (02:00–03:00 Europe/Berlin) is closed: it opens next at 2026-04-05 02:00 +02:00 (2026-04-05 00:00 UTC)',
      );
  });

  it('needs the override gate before the first step when the runbook allows an override', () => {
    const d = new Driver(closedWindow('override'), evening);
    expect(d.deployment.extraGates).toEqual(['after-hours']);
    d.apply({ type: 'checklist.result', item: 'auto', passed: true, detail: '' });
    d.apply({ type: 'checklist.tick', item: 'tick-me', by: 'ben' });
    expect(d.deployment.gates.find((g) => g.id === 'after-hours')?.requestedAt).toBe(evening);
    d.apply({ type: 'gate.approve', gate: 'security', by: 'dan' });
    d.apply({ type: 'gate.approve', gate: 'operations', by: 'ben' }).apply({
      type: 'gate.approve',
      gate: 'operations',
      by: 'cat',
    });
    expect(d.deployment.state).toBe('awaiting_gates');
    d.apply({ type: 'gate.approve', gate: 'after-hours', by: 'dan' });
    expect(d.deployment.state).toBe('scheduled');
  });

  it('does not ask for the override gate inside the window', () => {
    const d = new Driver(closedWindow('override'), Date.parse('2026-01-07T14:30:00Z'));
    expect(d.deployment.extraGates).toEqual([]);
    d.approveAll();
    expect(d.deployment.state).toBe('scheduled');
  });
});
