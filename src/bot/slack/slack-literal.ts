/**
 * Outside text (what a person typed, an alert's words) as Slack mrkdwn that shows it as written. Slack has no escape
 * character, so: `&`, `<` and `>` become the entities Slack asks for (no link, mention or `<!here>` can be made);
 * each run of formatting characters (`*`, `~`, a backtick, an `_` at the edge of a word) becomes the fallback text of
 * a date token whose format is no format, which Slack shows as plain text; a `>` that starts a line gets an
 * invisible soft hyphen before it, so it quotes nothing. An `_` inside a word (`instance_down`) stays: Slack reads
 * none there.
 */

const FORMATTING = /[*~`]+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu;
const asPlainText = (run: string) => `<!date^00000000^{_}|${run}>`;

/** The text as Slack mrkdwn that Slack shows as written. */
export function escapeSlackLiteral(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(FORMATTING, asPlainText)
    .replace(/^(\s*)&gt;/gm, '$1\u00ad&gt;');
}
