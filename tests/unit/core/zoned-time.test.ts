import { describe, expect, it } from 'vitest';
import { atClock, notBefore, resolveClock, windowState, zonedDay } from '../../../src/core/index.ts';
import { everyMachineZone, inMachineZones } from '../../helpers/machine-zone.ts';

/** The instant, as ISO text with the zone's offset, that a clock time on a calendar day names in `zone`. */
function at(zone: string, date: string, clock: string): string {
  const [h = 0, m = 0] = clock.split(':').map(Number);
  const day = zonedDay(Date.parse(`${date}T12:00:00Z`), zone);
  return new Date(atClock(day, h * 3600 + m * 60, zone)).toISOString();
}

const iso = (text: string): string => new Date(Date.parse(text)).toISOString();

describe('a clock time on the day the clocks go forward (the reading does not exist)', () => {
  it('is as far after the jump as it was after the jump started, whatever the machine’s zone', () => {
    expect(inMachineZones(() => at('America/New_York', '2026-03-08', '02:30'))).toEqual(
      everyMachineZone(iso('2026-03-08T03:30:00-04:00')),
    );
    expect(inMachineZones(() => at('Europe/Berlin', '2026-03-29', '02:30'))).toEqual(
      everyMachineZone(iso('2026-03-29T03:30:00+02:00')),
    );
    // Lord Howe Island goes forward by half an hour, 02:00 → 02:30.
    expect(inMachineZones(() => at('Australia/Lord_Howe', '2026-10-04', '02:15'))).toEqual(
      everyMachineZone(iso('2026-10-04T02:45:00+11:00')),
    );
  });

  it('says the reading was skipped; the times either side of the gap are the usual ones', () => {
    const day = zonedDay(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(resolveClock(day, 2 * 3600 + 30 * 60, 'America/New_York').skipped).toBe(true);
    expect(inMachineZones(() => at('America/New_York', '2026-03-08', '01:59'))).toEqual(
      everyMachineZone(iso('2026-03-08T01:59:00-05:00')),
    );
    expect(inMachineZones(() => at('America/New_York', '2026-03-08', '03:00'))).toEqual(
      everyMachineZone(iso('2026-03-08T03:00:00-04:00')),
    );
  });

  it('keeps a time that exists in the runbook’s zone where the machine’s clocks jump that night', () => {
    // Havana goes forward at midnight on the night New York goes forward at 02:00: 02:00 is a real Havana time.
    expect(inMachineZones(() => at('America/Havana', '2026-03-08', '02:00'))).toEqual(
      everyMachineZone(iso('2026-03-08T02:00:00-04:00')),
    );
  });
});

describe('a clock time on the day the clocks go back (the reading happens twice)', () => {
  it('is the first occurrence, whatever the machine’s zone, and names the second', () => {
    expect(inMachineZones(() => at('America/New_York', '2026-11-01', '01:30'))).toEqual(
      everyMachineZone(iso('2026-11-01T01:30:00-04:00')),
    );
    expect(inMachineZones(() => at('Europe/Berlin', '2026-10-25', '02:30'))).toEqual(
      everyMachineZone(iso('2026-10-25T02:30:00+02:00')),
    );
    const day = zonedDay(Date.parse('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(resolveClock(day, 2 * 3600 + 30 * 60, 'Europe/Berlin')).toEqual({
      instant: Date.parse('2026-10-25T02:30:00+02:00'),
      skipped: false,
      again: Date.parse('2026-10-25T02:30:00+01:00'),
    });
  });

  it('is the second for a deployment that started in the repeated hour’s second pass', () => {
    const step = { kind: 'clock', seconds: 2 * 3600 + 30 * 60, text: '02:30' } as const;
    const starts = inMachineZones(() =>
      new Date(notBefore(step, Date.parse('2026-10-25T02:10:00+01:00'), 'Europe/Berlin')).toISOString(),
    );
    expect(starts).toEqual(everyMachineZone(iso('2026-10-25T02:30:00+01:00')));
  });
});

describe('the deployment window on the days the clocks change', () => {
  const nightly = (zone: string, start: number, end: number) => ({ timezone: zone, window: { start, end } });

  it('opens at a start time the clocks skip as a step at that time would start', () => {
    const window = nightly('Europe/Berlin', 2 * 3600 + 30 * 60, 4 * 3600);
    const states = inMachineZones(() => windowState(window, Date.parse('2026-03-29T01:00:00+01:00')));
    expect(states).toEqual(
      everyMachineZone({
        open: false,
        next: {
          opens: Date.parse('2026-03-29T03:30:00+02:00'),
          closes: Date.parse('2026-03-29T04:00:00+02:00'),
        },
      }),
    );
  });

  it('closes at the first occurrence of an end time the clocks repeat', () => {
    const window = nightly('Europe/Berlin', 1 * 3600, 2 * 3600 + 30 * 60);
    const lastMinute = Date.parse('2026-10-25T02:29:00+02:00');
    expect(inMachineZones(() => windowState(window, lastMinute).open)).toEqual(everyMachineZone(true));
    const secondPass = Date.parse('2026-10-25T02:10:00+01:00');
    expect(inMachineZones(() => windowState(window, secondPass).open)).toEqual(everyMachineZone(false));
  });

  it('after midnight of a window across midnight, the night’s evening step is past even after the clocks went back', () => {
    // 22:00–02:00 opening on Saturday; at 01:30 in the second pass (EST) the Saturday 23:00 step is past, not the
    // next evening’s.
    const window = { start: 22 * 3600, end: 2 * 3600 };
    const step = { kind: 'clock', seconds: 23 * 3600, text: '23:00' } as const;
    const runStart = Date.parse('2026-11-01T01:30:00-05:00');
    const starts = inMachineZones(() =>
      new Date(notBefore(step, runStart, 'America/New_York', window)).toISOString(),
    );
    expect(starts).toEqual(everyMachineZone(iso('2026-10-31T23:00:00-04:00')));
  });
});

describe('clock times on ordinary days', () => {
  it('read 24:00 as the next midnight, and fixed offsets as they are', () => {
    expect(at('Asia/Shanghai', '2026-01-07', '24:00')).toBe(iso('2026-01-08T00:00:00+08:00'));
    expect(at('+05:30', '2026-03-08', '02:30')).toBe(iso('2026-03-08T02:30:00+05:30'));
  });
});
