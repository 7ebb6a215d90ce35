import { describe, expect, it } from 'vitest';
import { notBefore, planStepStarts, windowState } from '../../../src/core/index.ts';
import { parseInline } from '../../helpers/load-runbook.ts';

const weekdays = {
  timezone: 'Asia/Shanghai',
  window: {
    start: 14 * 3600,
    end: 16 * 3600,
    days: ['mon', 'tue', 'wed', 'thu'] as ('mon' | 'tue' | 'wed' | 'thu')[],
  },
};

describe('the deployment window', () => {
  it('is open inside the hours on an allowed day', () => {
    const state = windowState(weekdays, Date.parse('2026-01-07T15:59:00+08:00'));
    expect(state.open).toBe(true);
  });

  it('names the next opening when closed, skipping days not allowed', () => {
    const friday = windowState(weekdays, Date.parse('2026-01-09T15:00:00+08:00'));
    expect(friday).toEqual({
      open: false,
      next: {
        opens: Date.parse('2026-01-12T14:00:00+08:00'),
        closes: Date.parse('2026-01-12T16:00:00+08:00'),
      },
    });
    const closedAtEnd = windowState(weekdays, Date.parse('2026-01-07T16:00:00+08:00'));
    expect(closedAtEnd.open).toBe(false);
  });

  it('follows daylight saving in IANA zones', () => {
    const ny = { timezone: 'America/New_York', window: { start: 9 * 3600, end: 10 * 3600 } };
    const state = windowState(ny, Date.parse('2026-03-09T13:30:00Z'));
    expect(state.open).toBe(true);
  });
});

describe('step times', () => {
  it('puts clock times on the run day in the zone and offsets after the start', () => {
    const start = Date.parse('2026-01-07T13:55:00+08:00');
    expect(notBefore({ kind: 'clock', seconds: 14 * 3600 + 600, text: '14:10' }, start, '+08:00')).toBe(
      Date.parse('2026-01-07T14:10:00+08:00'),
    );
    expect(notBefore({ kind: 'offset', ms: 30_000, text: '+30s' }, start, 'UTC')).toBe(start + 30_000);
  });

  it('never plans a step before the one before it', () => {
    const start = Date.parse('2026-01-07T14:20:00+08:00');
    const starts = planStepStarts(
      [
        { at: { kind: 'clock', seconds: 14 * 3600, text: '14:00' } },
        {},
        { at: { kind: 'clock', seconds: 15 * 3600, text: '15:00' } },
      ],
      start,
      'Asia/Shanghai',
    );
    expect(starts).toEqual([start, start, Date.parse('2026-01-07T15:00:00+08:00')]);
  });

  it('accepts UTC offsets as the runbook time zone', () => {
    const result = parseInline(`version: 1
service: svc
timezone: "+08:00"
environments: { production: {} }
channels: { deploy: "#d", incident: "#i" }
people: { a: { name: A, slack: U1 } }
permissions: { deploy: [a], rollback: [a] }
steps: [{ id: s, title: S, run: "true" }]
escalation: { levels: [{ id: L1, notify: [a], respond_within: 15m }] }
`);
    expect(result.errors).toEqual([]);
  });
});
