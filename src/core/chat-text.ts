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

/** Which message roots a thread: a deployment's status message, or an incident's post. */
export type ThreadRoot = 'status' | 'incident';

/** A reference to a channel the runbook names (`#deployments`): a channel link where the platform has them. */
export function linkChannel(channel: string): string {
  return `#{channel|${channel}}`;
}

/**
 * A reference to the thread of a deployment or incident in its channel: the channel link, followed by a link to
 * the thread where the platform can make one (`#deployments (toy-1 thread)`), else the channel alone.
 */
export function linkThread(channel: string, owner: string, root: ThreadRoot): string {
  return `#{channel|${channel}|${owner}|${root}}`;
}

/** Matches `linkChannel` and `linkThread` references: channel, then owner and root for a thread. */
export const LINK_RE = /#\{channel\|([^\s{}|]+)(?:\|([A-Za-z0-9][A-Za-z0-9_.-]*)\|(status|incident))?\}/g;

/** Text with its channel and thread references as plain channel names (terminal, logs). */
export function plainLinks(text: string): string {
  return text.replace(LINK_RE, (_all, channel: string) => channel);
}

/**
 * A platform's own mention written into text: `<@U0CAROL01>` on Slack, `<@1234…>`, `<@!1234…>` or `<@&1234…>` on
 * Discord, with an optional `|label`. Preflight writes none itself (it writes `@{person}`), so one found in text
 * came from outside.
 */
const RAW_MENTION = /<@([!&]?[A-Za-z0-9]+)(?:\|[^<>\n]*)?>/g;

/**
 * Text with raw platform mentions made plain (`<@U0CAROL01>` → `@U0CAROL01`): it reads the same and pings nobody.
 * Made plain until none is left: one inside another (`<<@U0CAROL01>>`) is a mention again once the inner one is.
 */
export function defuseMentions(text: string): string {
  let plain = text;
  for (let before = ''; before !== plain; ) {
    before = plain;
    plain = plain.replace(RAW_MENTION, '@$1');
  }
  return plain;
}

/**
 * `text` in at most `max` UTF-16 units: a longer one is cut where a character ends (never through an emoji's
 * surrogate pair) and ends in "…", so what is kept says it was cut.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length + 1 > max) break;
    kept += char;
  }
  return `${kept}…`;
}
