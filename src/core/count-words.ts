/** Counts in words people read: `1 record`, `2 records`, `1 more approval`, `1,000 steps`. */

/** `n` and the noun in the number it takes; `many` for nouns that do not just add an `s` (`try`, `tries`). */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
