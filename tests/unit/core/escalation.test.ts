import { describe, expect, it } from 'vitest';
import { ladderPreview, nextPage } from '../../../src/core/index.ts';

const levels = [
  { id: 'L1', respond_within: 15 },
  { id: 'L2', respond_within: 30 },
  { id: 'L3', respond_within: 60 },
];

describe('the escalation ladder', () => {
  it('pages each level when the one before has not answered in time', () => {
    expect(ladderPreview(levels, 30).map((p) => [levels[p.level]?.id, p.after])).toEqual([
      ['L1', 0],
      ['L2', 15],
      ['L3', 45],
      ['L3', 105],
    ]);
  });

  it('repeats the last level every repeat interval after its first repeat', () => {
    const repeat1 = { level: 2, after: 105, repeat: 1 };
    expect(nextPage(levels, repeat1, 30)).toEqual({ level: 2, after: 135, repeat: 2 });
    expect(nextPage(levels, repeat1)).toEqual({ level: 2, after: 165, repeat: 2 });
  });

  it('has nothing to page without levels', () => {
    expect(nextPage([], undefined)).toBeUndefined();
  });
});
