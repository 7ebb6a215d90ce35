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

  it('finds a window on a date more than a year ahead, and none once its dates have passed', () => {
    const dated = {
      timezone: 'Asia/Shanghai',
      window: { start: 14 * 3600, end: 16 * 3600, dates: ['2026-01-07'] },
    };
    expect(windowState(dated, Date.parse('2024-12-01T14:00:00+08:00'))).toEqual({
      open: false,
      next: {
        opens: Date.parse('2026-01-07T14:00:00+08:00'),
        closes: Date.parse('2026-01-07T16:00:00+08:00'),
      },
    });
    expect(windowState(dated, Date.parse('2026-01-07T15:00:00+08:00')).open).toBe(true);
    expect(windowState(dated, Date.parse('2026-01-07T16:30:00+08:00'))).toEqual({
      open: false,
      next: undefined,
    });
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

  it('on the night the clocks go back, puts a step in the repeated hour after a start in its second pass', () => {
    const at = { kind: 'clock', seconds: 3600 + 30 * 60, text: '01:30' } as const;
    const zone = 'America/New_York';
    // 2026-11-01: 01:00–02:00 is lived twice, first at -04:00 (EDT), then at -05:00 (EST).
    expect(notBefore(at, Date.parse('2026-11-01T01:10:00-04:00'), zone)).toBe(
      Date.parse('2026-11-01T01:30:00-04:00'),
    );
    expect(notBefore(at, Date.parse('2026-11-01T01:10:00-05:00'), zone)).toBe(
      Date.parse('2026-11-01T01:30:00-05:00'),
    );
    // A run that began in the first pass, after the step's time, finds it past (due at once), as on any day.
    expect(notBefore(at, Date.parse('2026-11-01T01:40:00-04:00'), zone)).toBe(
      Date.parse('2026-11-01T01:30:00-04:00'),
    );
    // Any other day, a clock time already past stays past (the step is due at once, as before).
    expect(notBefore(at, Date.parse('2026-11-02T01:40:00-05:00'), zone)).toBe(
      Date.parse('2026-11-02T01:30:00-05:00'),
    );
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

describe('an overnight window (22:00–02:00, opening on Fridays, Europe/Berlin)', () => {
  const night = {
    timezone: 'Europe/Berlin',
    window: { start: 22 * 3600, end: 2 * 3600, days: ['fri'] as 'fri'[] },
  };

  it('is open after midnight on the night it opened, and closed after 02:00', () => {
    expect(windowState(night, Date.parse('2026-01-09T23:30:00+01:00'))).toEqual({
      open: true,
      span: {
        opens: Date.parse('2026-01-09T22:00:00+01:00'),
        closes: Date.parse('2026-01-10T02:00:00+01:00'),
      },
    });
    expect(windowState(night, Date.parse('2026-01-10T01:30:00+01:00')).open).toBe(true);
    expect(windowState(night, Date.parse('2026-01-10T02:00:00+01:00')).open).toBe(false);
  });

  it('puts a 00:30 step on the next day, after a 23:00 step', () => {
    const steps = [
      { at: { kind: 'clock' as const, seconds: 23 * 3600, text: '23:00' } },
      { at: { kind: 'clock' as const, seconds: 1800, text: '00:30' } },
    ];
    const starts = planStepStarts(
      steps,
      Date.parse('2026-01-09T22:10:00+01:00'),
      night.timezone,
      night.window,
    );
    expect(starts).toEqual([
      Date.parse('2026-01-09T23:00:00+01:00'),
      Date.parse('2026-01-10T00:30:00+01:00'),
    ]);
    const late = notBefore(
      steps[0]?.at,
      Date.parse('2026-01-10T00:10:00+01:00'),
      night.timezone,
      night.window,
    );
    expect(late).toBe(Date.parse('2026-01-09T23:00:00+01:00'));
  });

  it('is a valid runbook window, with steps on both sides of midnight', () => {
    const result = parseInline(`version: 1
service: shop
timezone: Europe/Berlin
window: { start: "22:00", end: "02:00", days: [fri] }
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
steps:
  - { id: a, title: A, at: "23:00", run: "true" }
  - { id: b, title: B, at: "00:30", run: "true" }
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
`);
    expect(result.errors).toEqual([]);
  });
});

describe('a window the clocks skip on the night they go forward', () => {
  // 2026-03-29 in Europe/Berlin: 02:00 → 03:00; 2026-03-08 in America/New_York: the same.
  const berlin = (start: number, end: number, extra: object = {}) => ({
    timezone: 'Europe/Berlin',
    window: { start, end, ...extra },
  });

  it('does not open that night, and names the next real opening', () => {
    const saturday = Date.parse('2026-03-28T12:00:00+01:00');
    // 02:00–03:00 does not exist that night; 02:30–03:00 would open after it closes.
    for (const start of [2 * 3600, 2.5 * 3600]) {
      expect(windowState(berlin(start, 3 * 3600), saturday)).toEqual({
        open: false,
        next: {
          opens: Date.parse(`2026-03-30T0${start === 2 * 3600 ? '2:00' : '2:30'}:00+02:00`),
          closes: Date.parse('2026-03-30T03:00:00+02:00'),
        },
      });
    }
    const ny = { timezone: 'America/New_York', window: { start: 2 * 3600, end: 3 * 3600, days: ['sun'] } };
    expect(
      windowState(ny as Parameters<typeof windowState>[0], Date.parse('2026-03-07T12:00:00-05:00')),
    ).toEqual({
      open: false,
      next: {
        opens: Date.parse('2026-03-15T02:00:00-04:00'),
        closes: Date.parse('2026-03-15T03:00:00-04:00'),
      },
    });
  });

  it('is closed that night, and none is left when that night was its only date', () => {
    const dated = berlin(2 * 3600, 3 * 3600, { dates: ['2026-03-29'] });
    expect(windowState(dated, Date.parse('2026-03-28T12:00:00+01:00'))).toEqual({
      open: false,
      next: undefined,
    });
    expect(windowState(dated, Date.parse('2026-03-29T01:59:00+01:00'))).toEqual({
      open: false,
      next: undefined,
    });
    expect(windowState(dated, Date.parse('2026-03-29T03:00:00+02:00')).open).toBe(false);
  });

  it('still opens late when only its start is skipped', () => {
    // 02:30–04:00 opens as far after the jump as 02:30 is after 02:00: 03:30.
    expect(windowState(berlin(2.5 * 3600, 4 * 3600), Date.parse('2026-03-28T12:00:00+01:00'))).toEqual({
      open: false,
      next: {
        opens: Date.parse('2026-03-29T03:30:00+02:00'),
        closes: Date.parse('2026-03-29T04:00:00+02:00'),
      },
    });
  });
});
