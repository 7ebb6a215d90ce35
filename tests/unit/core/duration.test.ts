import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parsePercent } from '../../../src/core/runbook/duration.ts';

describe('durations', () => {
  it('parses the forms runbooks use', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1m30s')).toBe(90_000);
  });

  it('refuses numbers without units and units out of order', () => {
    expect(parseDuration('600')).toBeUndefined();
    expect(parseDuration('30m1h')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('1 h')).toBeUndefined();
  });

  it('formats back to the shortest form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(0)).toBe('0s');
  });

  it('parses percentages', () => {
    expect(parsePercent('50%')).toBe(0.5);
    expect(parsePercent('50')).toBeUndefined();
  });
});
