/** "Did you mean" suggestions for misspelt keys, ids and values. */
import { distance } from 'fastest-levenshtein';

/** The closest candidate within a small edit distance, if any. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** ` did you mean "x"?` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}

/** ` (did you mean "x"?)` or the empty string, for messages that go on after the suggestion. */
export function didYouMeanAside(word: string, candidates: Iterable<string>): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
