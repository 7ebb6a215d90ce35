import { describe, expect, it } from 'vitest';
import { shortNumber } from '../../../src/infra/health/short-number.ts';

describe('sample values shown to people', () => {
  it('shortens float noise in small values', () => {
    expect(shortNumber('0.6016699999999999')).toBe('0.6017');
    expect(shortNumber('123.456789')).toBe('123.5');
  });

  it('keeps short values, large values and non-numbers as Prometheus sent them', () => {
    expect(shortNumber('0.0731')).toBe('0.0731');
    expect(shortNumber('1740823512.345')).toBe('1740823512.345');
    expect(shortNumber('NaN')).toBe('NaN');
    expect(shortNumber('+Inf')).toBe('+Inf');
  });
});
