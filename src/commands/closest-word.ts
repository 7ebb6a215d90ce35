/** The word a slip was meant to be: the closest of the names the grammar has there. */
import { distance } from 'fastest-levenshtein';

/** The closest of `names` to `typed`, when it is close enough to be a slip (`strat` for `start`, `retyr` for `retry`). */
export function closestWord(typed: string, names: readonly string[]): string | undefined {
  const scored = names.map((name) => ({ name, d: distance(typed, name) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.name : undefined;
}
