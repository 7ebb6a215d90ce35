/** Credentials recognisable by their shape: in URLs, in Authorization headers, and well-known API key formats. */
import { REDACTED } from './redaction-marker.ts';

/**
 * `scheme://user:password@host` and `redis://:password@host`: the password goes, the user stays. The host starts
 * after the last `@` before the path, as URL parsers read it, so a password with an `@` in it goes whole.
 */
const URL_CREDENTIALS = /:\/\/([^\s:/@]*):([^\s/?#]*[^\s/?#@])@/g;

/** `Bearer xxx` and `Basic xxx` (the header's own key is handled with the other key=value pairs). */
const AUTH_SCHEME = /(?<![\w-])(Bearer|Basic|bearer|basic)([ \t]+)((?:\[REDACTED\]|[A-Za-z0-9._~+/-])+=*)/g;

/**
 * The token in a Discord interaction or webhook URL (`/interactions/<id>/<token>/callback`, `/webhooks/<id>/<token>`:
 * the id stays) and the path of a Slack response_url or incoming webhook (`hooks.slack.com/actions/…`): whoever has
 * one can answer or post as the bot.
 */
const URL_PATH_TOKEN =
  /(\/(?:interactions|webhooks)\/\d{1,25}\/)(?:[A-Za-z0-9._-]|\[REDACTED\]){16,}|(hooks\.slack(?:-gov)?\.com\/(?:actions|commands|services|workflows|triggers)\/)(?:[A-Za-z0-9_/-]|\[REDACTED\])+/g;

const API_KEY_SHAPES = [
  'sk-[A-Za-z0-9_-]{20,}', // OpenAI, Anthropic
  'xox[abprs]-[A-Za-z0-9-]{10,}', // Slack bot, user, app-level and refresh tokens
  'xapp-[A-Za-z0-9-]{10,}', // Slack app tokens
  'gh[pousr]_[A-Za-z0-9]{20,}', // GitHub
  'github_pat_[A-Za-z0-9_]{20,}', // GitHub fine-grained
  '(?:AKIA|ASIA)[A-Z0-9]{16}', // AWS access key ids
  'AIza[A-Za-z0-9_-]{35}', // Google
  'glpat-[A-Za-z0-9_-]{20,}', // GitLab
  '[sr]k_live_[A-Za-z0-9]{20,}', // Stripe secret and restricted keys
  'npm_[A-Za-z0-9]{36}', // npm
  'aW50ZXJhY3Rpb246[A-Za-z0-9_-]{10,}', // Discord interaction tokens: base64 of "interaction:…"
  String.raw`eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`, // JWT
];
// Each shape starts with a fixed prefix and only where a word starts, so scanning stays linear.
const API_KEY = new RegExp(`(?<![A-Za-z0-9_-])(?:${API_KEY_SHAPES.join('|')})(?![A-Za-z0-9])`, 'g');

/** Something long or varied enough to be a token, unlike the word after "Bearer" in prose. */
function isTokenLike(value: string): boolean {
  // A known value with more after it: the rest belongs to the same credential.
  if (value.includes(REDACTED)) return value !== REDACTED;
  return (value.length >= 8 && /\d/.test(value)) || value.length >= 20;
}

/** Base64 of `user:password`, as in `Basic dXNlcjpwYXNz`. */
function isBasicCredentials(value: string): boolean {
  if (value.length < 8 || value.length % 4 !== 0) return false;
  try {
    return atob(value).includes(':');
  } catch {
    return false;
  }
}

/** Replaces passwords in URLs, tokens in chat platforms' answer URLs, Bearer/Basic credentials and API key formats. */
export function redactTokenPatterns(text: string): string {
  return text
    .replace(URL_CREDENTIALS, (_match, user: string) => `://${user}:${REDACTED}@`)
    .replace(URL_PATH_TOKEN, (_match, discord?: string, slack?: string) => `${discord ?? slack}${REDACTED}`)
    .replace(AUTH_SCHEME, (match, scheme: string, space: string, value: string) =>
      isTokenLike(value) || (scheme.toLowerCase() === 'basic' && isBasicCredentials(value))
        ? `${scheme}${space}${REDACTED}`
        : match,
    )
    .replace(API_KEY, REDACTED);
}
