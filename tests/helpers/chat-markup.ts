/** What Slack and Discord make of a message's markup, as far as tests of outside text need to know. */

/** The text Discord shows: a backslash before punctuation is dropped. */
export const discordShows = (markdown: string): string => markdown.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');

/** The URLs of the masked links Discord makes: `[label](url)` whose `[` no backslash escapes. */
export const discordLinks = (markdown: string): string[] =>
  [...markdown.matchAll(/(?<!\\)\[[^\]\n]+\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1] ?? '');

/** The lines Discord shows as a heading, a quote, a list item or subtext. */
export const discordBlocks = (markdown: string): string[] =>
  markdown.split('\n').filter((line) => /^\s*(#{1,3} |>|[-*] |\d+\. |-# )/.test(line));

/** The text Slack shows: a date token's fallback text, the three entities decoded, the soft hyphen invisible. */
export const slackShows = (mrkdwn: string): string =>
  mrkdwn
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replaceAll('\u00ad', '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The URLs of the links Slack makes: `<url|label>` and `<url>`. */
export const slackLinks = (mrkdwn: string): string[] =>
  [...mrkdwn.matchAll(/<(https?:\/\/[^|>]+)[|>]/g)].map((m) => m[1] ?? '');
