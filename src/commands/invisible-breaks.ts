/**
 * Zero-width characters pasted between two words (`status\u200Bshop-1` from a chat client): where they stand between
 * a letter or digit on each side, inside a word that is not one Preflight knows, the word is two words there. At a
 * word's start or end, or next to punctuation (`shop-\u200B1`), they are folded away with the name (foldNameWord).
 */

/** Zero-width space, word joiner and zero-width no-break space: invisible, and never part of a name. */
const BREAK = /[\u200B\u2060\uFEFF]+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The words `word` stands for: itself, unless invisible breaks inside it stand between word characters and the
 * word without them is not `known` (a command word or a name Preflight knows, kept whole: `to\u200By` is `toy`).
 */
export function splitAtInvisibleBreaks(word: string, known: (word: string) => boolean): string[] {
  if (!word.match(BREAK) || known(word.replace(BREAK, ''))) return [word];
  const words: string[] = [];
  let start = 0;
  for (const found of word.matchAll(BREAK)) {
    const end = found.index + found[0].length;
    const between = WORD_CHAR.test(word[found.index - 1] ?? '') && WORD_CHAR.test(word[end] ?? '');
    if (!between) continue;
    words.push(word.slice(start, found.index));
    start = end;
  }
  words.push(word.slice(start));
  return words;
}
