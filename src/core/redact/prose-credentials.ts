/**
 * Credentials told in a sentence, as tools and scripts print them: `the password is hunter2`, `Password for admin:
 * hunter2`, `api key: ak_51f…`. A sentence about a password (`the password is incorrect`, `password is 12
 * characters long`) stays: a bare value counts only when it does not read as a word or a small number.
 */
import { REDACTED } from './redaction-marker.ts';

/**
 * The noun, an optional `for [user] NAME`, then `is`/`was`/`will be`/`set to` (a colon may follow) or a colon; group
 * 1 is kept, group 2 is the value. Each part is bounded, so a match is tried only where a noun starts.
 */
const PROSE = new RegExp(
  String.raw`((?<![\w-])(?:password|passphrase|passwd|secret(?:[ \t]+key)?|token|api[ _-]?key|access[ _-]?key)` +
    String.raw`(?:[ \t]+for[ \t]+(?:user[ \t]+)?[^\s:]{1,64})?` +
    String.raw`(?:[ \t]+(?:is|was|will[ \t]+be|set[ \t]+to)(?:[ \t]*:)?|[ \t]*:)[ \t]+)` +
    String.raw`("[^"\n]*"|'[^'\n]*'|\x60[^\x60\n]*\x60|[^\s"'\x60]+)`,
  'gi',
);

/** What ends the sentence, not the value: `is hunter2.`, `(the secret is stored).` (`!` and `?` are more often the password's). */
const TRAILING = /[.,;:)\]]+$/;

/** Whether a bare value reads as a credential rather than a word, a number, a path or a variable. */
function looksLikeCredential(value: string): boolean {
  if (value.length < 6 || value.includes(REDACTED) || /^\*+$/.test(value)) return false;
  if (/^(?:[/~$]|\.\.?\/)/.test(value) || value.includes('://')) return false;
  return /[^A-Za-z]/.test(value);
}

function redactValue(value: string): string {
  if (value.includes(REDACTED)) return value;
  const quote = value.slice(0, 1);
  if (quote === '"' || quote === "'" || quote === '`') {
    const inner = value.slice(1, -1);
    return inner.trim() === '' || inner.includes(REDACTED) || /^\*+$/.test(inner)
      ? value
      : `${quote}${REDACTED}${quote}`;
  }
  const trailing = TRAILING.exec(value)?.[0] ?? '';
  const bare = value.slice(0, value.length - trailing.length);
  return looksLikeCredential(bare) ? `${REDACTED}${trailing}` : value;
}

/** Replaces credentials given in prose, keeping the sentence. */
export function redactProseCredentials(text: string): string {
  return text.replace(PROSE, (_match, head: string, value: string) => `${head}${redactValue(value)}`);
}
