/** The redactor every chat post and log line passes through (design.md §9). */
import { redactCardNumbers } from './card-numbers.ts';
import { redactCommandCredentials } from './command-credentials.ts';
import { redactCookieHeaders } from './cookie-headers.ts';
import { encodedFormsOf, escapeRegExp, urlTolerantPattern } from './encoded-forms.ts';
import { redactKeyValues, redactOptionValues } from './key-values.ts';
import { redactPipedCredentials } from './piped-credentials.ts';
import { redactPositionalCredentials } from './positional-credentials.ts';
import { redactPrivateKeys } from './private-keys.ts';
import { redactProseCredentials } from './prose-credentials.ts';
import { REDACTED } from './redaction-marker.ts';
import { redactStatementCredentials } from './statement-credentials.ts';
import { redactTokenPatterns } from './token-patterns.ts';

export { REDACTED } from './redaction-marker.ts';

/** Scrubs secrets from text. Idempotent: redacting twice gives the same text as redacting once. */
export interface Redactor {
  redact(text: string): string;
}

/** Known secret values shorter than this are ignored: they would match everywhere. */
const MIN_SECRET_LENGTH = 3;
/**
 * Known values shorter than this are redacted only where they stand alone (no letter or digit touches them): a
 * 3-character value inside a longer word would shred ordinary output (`dev` in `development`) and point at itself.
 */
const MIN_ANYWHERE_LENGTH = 4;
/** Lines of a multi-line secret (a PEM key in an env var) are also redacted when they appear alone. */
const MIN_SECRET_LINE_LENGTH = 8;

function collectSecrets(values: readonly string[]): string[] {
  const secrets = new Set<string>();
  for (const value of values) {
    if (value.length >= MIN_SECRET_LENGTH && value !== REDACTED) secrets.add(value);
    if (!value.includes('\n')) continue;
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_SECRET_LINE_LENGTH) secrets.add(trimmed);
    }
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * A matcher for the known values as written or URL-encoded, and for their other encoded forms, longest first; an
 * existing marker matches itself so it is never split.
 */
function buildSecretMatcher(secrets: readonly string[]): ((text: string) => string) | undefined {
  if (secrets.length === 0) return undefined;
  const encoded = [...new Set(secrets.flatMap(encodedFormsOf))].filter((form) => !secrets.includes(form));
  const sources = [
    ...secrets.map((secret) => ({
      length: secret.length,
      source:
        secret.length < MIN_ANYWHERE_LENGTH
          ? `(?<![A-Za-z0-9])${urlTolerantPattern(secret)}(?![A-Za-z0-9])`
          : urlTolerantPattern(secret),
    })),
    ...encoded.map((form) => ({ length: form.length, source: escapeRegExp(form) })),
  ].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`\\[REDACTED\\]|${sources.map((s) => s.source).join('|')}`, 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/**
 * Creates a redactor that replaces with `[REDACTED]`:
 * - the known secret values (exact substrings, longest first; values under 3 characters are ignored, 3-character
 *   ones count only where they stand alone), also when printed URL-encoded, base64- or hex-encoded or JSON-escaped;
 * - private key blocks, passwords in URLs, `Bearer`/`Basic` credentials, well-known API key formats;
 * - the values of credential-named keys (`DB_PASSWORD=…`, `"token": "…"`) and options (`--password …`), keeping
 *   the keys;
 * - passwords given to well-known tools in their own options (`mysql -pS3cret`, `curl -u admin:S3cret`) or by
 *   position (`htpasswd -b file user S3cret`, `vault login TOKEN`), or on standard input (`echo S3cret | docker
 *   login --password-stdin`), and in SQL (`IDENTIFIED BY '…'`), XML
 *   (`<password>…</password>`) and `.netrc` lines;
 * - cookies in `Cookie:`/`Set-Cookie:` headers, and credentials told in prose (`the password is hunter2`);
 * - card numbers that pass the Luhn check.
 *
 * Every pattern is linear in the length of the text.
 */
export function createRedactor(options: { readonly secrets?: readonly string[] }): Redactor {
  const redactSecrets = buildSecretMatcher(collectSecrets(options.secrets ?? []));
  return {
    redact(text: string): string {
      let out = redactPrivateKeys(text);
      if (redactSecrets) out = redactSecrets(out);
      out = redactTokenPatterns(out);
      out = redactCommandCredentials(out);
      out = redactPositionalCredentials(out);
      out = redactPipedCredentials(out);
      out = redactStatementCredentials(out);
      out = redactCookieHeaders(out);
      out = redactKeyValues(out);
      out = redactOptionValues(out);
      out = redactProseCredentials(out);
      return redactCardNumbers(out);
    },
  };
}

/** A redactor that is told of more known values as they come into use. */
export interface LearningRedactor extends Redactor {
  /** Adds values to the known ones; those it knows already change nothing. */
  learn(values: readonly string[]): void;
}

/**
 * A redactor over `secrets` that also hides the values it learns later: a deployment that goes on under the
 * runbook it started with hands its steps the variables that runbook requires, which the runbook files read at
 * start may no longer name.
 */
export function createLearningRedactor(options: { readonly secrets?: readonly string[] }): LearningRedactor {
  const known = new Set(options.secrets ?? []);
  let current = createRedactor({ secrets: [...known] });
  return {
    redact: (text) => current.redact(text),
    learn(values) {
      const fresh = values.filter((value) => !known.has(value));
      if (fresh.length === 0) return;
      for (const value of fresh) known.add(value);
      current = createRedactor({ secrets: [...known] });
    },
  };
}
