import { describe, expect, it } from 'vitest';
import {
  ackLookAlike,
  approveLookAlike,
  customEmoji,
  gateLookAlike,
  rollbackLookAlike,
} from '../../../src/core/index.ts';

describe('a chat server’s own emoji named as an answer or a look-alike', () => {
  it('is a look-alike of that answer, shown by its name, whatever its case', () => {
    expect(gateLookAlike(customEmoji('White_Check_Mark'))).toEqual({
      meant: 'approve',
      shown: 'server emoji :white_check_mark:',
    });
    expect(gateLookAlike(customEmoji('x'))).toEqual({ meant: 'reject', shown: 'server emoji :x:' });
    expect(gateLookAlike(customEmoji('thumbsdown'))?.meant).toBe('reject');
    expect(approveLookAlike(customEmoji('heavy_check_mark'))).toBe('server emoji :heavy_check_mark:');
    expect(ackLookAlike(customEmoji('eyes'))).toBe('server emoji :eyes:');
    expect(ackLookAlike(customEmoji('white_check_mark'))).toBe('server emoji :white_check_mark:');
    expect(rollbackLookAlike(customEmoji('arrows_counterclockwise'))).toBe(
      'server emoji :arrows_counterclockwise:',
    );
  });

  it('is nothing when named otherwise, or as another answer than the one awaited', () => {
    expect(gateLookAlike(customEmoji('partyparrot'))).toBeUndefined();
    expect(gateLookAlike(customEmoji('eyes'))).toBeUndefined();
    expect(rollbackLookAlike(customEmoji('white_check_mark'))).toBeUndefined();
    expect(approveLookAlike(customEmoji('constructor'))).toBeUndefined();
  });

  it('leaves the Unicode emoji as they were: ✅ itself is no look-alike, ✔️ is one', () => {
    expect(gateLookAlike('white_check_mark')).toBeUndefined();
    expect(gateLookAlike('heavy_check_mark')).toEqual({ meant: 'approve', shown: '✔️' });
  });
});
