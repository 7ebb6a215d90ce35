/** What Slack and Discord make of a message's markup, as far as tests of outside text need to know. */
import type { FakeSlackApi } from './fake-slack-api.ts';

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

/** The mention tokens Slack would act on: users, `<!channel>`, `<!here>`, `<!everyone>`, user groups (`<!subteam^…>`). */
export const slackMentions = (mrkdwn: string): string[] =>
  [...mrkdwn.matchAll(/<(@[^>]*|!(?!date\^)[^>]*)>/g)].map((m) => m[0]);

/**
 * Whom Discord notifies for a message body, by its rules: every `<@id>`, `<@&role>`, `@everyone` and `@here` in the
 * content counts, in a code block or after a backslash too, as far as `allowed_mentions` lets it (all of them
 * without it).
 */
export function discordPings(body: Record<string, unknown>): string[] {
  const content = String(body.content ?? '');
  const allowed = body.allowed_mentions as
    | { parse?: string[]; users?: string[]; roles?: string[] }
    | undefined;
  const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
  const everyone = [...content.matchAll(/@(everyone|here)/g)].map((m) => `@${m[1]}`);
  return [
    ...new Set([
      ...users.filter((u) => parse.includes('users') || allowed?.users?.includes(u)),
      ...roles.filter((r) => parse.includes('roles') || allowed?.roles?.includes(r)).map((r) => `&${r}`),
      ...everyone.filter(() => parse.includes('everyone')),
    ]),
  ];
}

/** Every text Slack was handed: message text and blocks of each Web API call, and each response_url answer. */
export function slackTextsSent(fake: Pick<FakeSlackApi, 'calls' | 'responses'>): string[] {
  const texts: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const call of fake.calls) collect([call.params.text, call.params.blocks]);
  for (const response of fake.responses) collect([response.body.text, response.body.blocks]);
  return texts;
}
