/** What changed between two versions of a message, line by line, for compact edits in the transcript. */

/** One changed hunk of a message. */
export interface LineChange {
  /** Lines of the new version that were not in the old one, in order. */
  readonly added: readonly string[];
  /** Lines of the old version that are gone, in order. */
  readonly removed: readonly string[];
}

/** The changed hunks between `before` and `after` (a longest-common-subsequence diff); empty when equal. */
export function diffLines(before: readonly string[], after: readonly string[]): LineChange[] {
  const n = before.length;
  const m = after.length;
  // lcs(i, j): length of the longest common subsequence of before[i..] and after[j..].
  const table = new Array<number>((n + 1) * (m + 1)).fill(0);
  const lcs = (i: number, j: number): number => table[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i * (m + 1) + j] =
        before[i] === after[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
  const hunks: LineChange[] = [];
  let added: string[] = [];
  let removed: string[] = [];
  const flush = () => {
    if (added.length > 0 || removed.length > 0) hunks.push({ added, removed });
    added = [];
    removed = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const old = before[i];
    const next = after[j];
    if (old !== undefined && next !== undefined && old === next) {
      flush();
      i++;
      j++;
    } else if (next !== undefined && (old === undefined || lcs(i, j + 1) >= lcs(i + 1, j))) {
      added.push(next);
      j++;
    } else if (old !== undefined) {
      removed.push(old);
      i++;
    }
  }
  flush();
  return hunks;
}
