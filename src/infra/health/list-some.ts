/** A short list for a chat line: the first few items, then how many more. */

/** `a, b, c and 2 more` */
export function listSome(items: readonly string[], separator: string, limit = 3): string {
  const shown = items.slice(0, limit).join(separator);
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
