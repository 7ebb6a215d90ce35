/** Text for chat with platform-neutral mentions: `@{wei}` becomes a real mention on each platform. */

/** A mention of a runbook person by id. */
export function mention(personId: string): string {
  return `@{${personId}}`;
}

/** Mentions of several people, joined for a sentence. */
export function mentionAll(personIds: readonly string[]): string {
  return personIds.map(mention).join(', ');
}

/** A mention of a chat user who is not a runbook person, by their platform user id. */
export function mentionUser(userId: string): string {
  return `@{!${userId}}`;
}

export const MENTION_RE = /@\{(!?[A-Za-z0-9][A-Za-z0-9_.-]*)\}/g;
