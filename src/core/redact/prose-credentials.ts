/**
 * Credentials told in a sentence, as tools and scripts print them: `the password is hunter2`, `Password for admin:
 * hunter2`, `api key: ak_51f…`, `the password is hunter`. A sentence about a password (`the password is incorrect`,
 * `password is 12 characters long`) stays: a bare value counts only when it does not read as a word of the sentence
 * or a small number.
 */
import { isSensitiveKey } from './key-values.ts';
import { REDACTED } from './redaction-marker.ts';

/**
 * The noun, an optional `for [user] NAME`, then `is`/`was`/`will be`/`set to` (a colon may follow) or a colon; group
 * 1 is kept, group 2 is the value. Each part is bounded, so a match is tried only where a noun starts.
 */
const PROSE = new RegExp(
  String.raw`((?<![\w-])(?:password|passphrase|passwd|secret(?:[ \t]+key)?|token|api[ _-]?key|access[ _-]?key)` +
    String.raw`(?:[ \t]+(?:for|of)[ \t]+(?:user[ \t]+)?[^\s:]{1,64})?` +
    String.raw`(?:[ \t]+(?:is|was|will[ \t]+be|set[ \t]+to)(?:[ \t]*:)?|[ \t]*:)[ \t]+)` +
    String.raw`("[^"\n]*"|'[^'\n]*'|\x60[^\x60\n]*\x60|[^\s"'\x60]+)`,
  'gi',
);

/** What ends the sentence, not the value: `is hunter2.`, `(the secret is stored).` (`!` and `?` are more often the password's). */
const TRAILING = /[.,;:)\]]+$/;

/**
 * Words that go on a sentence about a credential rather than give it: `the password is incorrect`, `is now set`, `is
 * in vault`, `is too short`. A letters-only value that is none of these (nor shaped like one) is taken for the
 * password: `the password is hunter`.
 */
const SENTENCE_WORDS = new Set(
  (
    'a an the this that these those it its my your our their his her no not now also still just only never always ' +
    'already yet then than too very so quite rather being been be and or but if as at by for from in into of on ' +
    'onto to with without within under over via per about after before until since when where which what who how ' +
    'why here there either neither both all any some each every more less most least same different other another ' +
    'set unset empty blank missing required optional mandatory correct incorrect wrong right valid invalid weak ' +
    'strong good bad fine ok okay long short new old fresh stale current default temporary permanent random unique ' +
    'secret secure insecure safe unsafe hidden known unknown given taken shown written chosen forgotten broken ' +
    'stolen none null nil true false yes enabled disabled ready available unavailable present absent case due ' +
    'please reset pending waiting running succeeded failed done met must should will can cannot may might shall ' +
    'gone kept lost sent left held read made built bound found spent cut put let run got seen paid told sold stuck ' +
    'meant part like enough out off up down back away full free open plain clear public private local shared mine ' +
    'yours ours theirs real fake live dead fixed page form screen field box prompt input flow dialog button link ' +
    'hash policy rule rules manager vault store attempt attempts'
  ).split(' '),
);
/** Endings of words that describe (`expired`, `expiring`, `visible`, `sensitive`, `useless`, `confidential`). */
const DESCRIBING_ENDING = /(?:ed|ing|ly|able|ible|ive|ous|ful|less|ent|ant|al|ary|ion)$/i;

/** Whether a letters-only value reads as a word of the sentence rather than a password. */
function isSentenceWord(value: string): boolean {
  return value.length < 4 || SENTENCE_WORDS.has(value.toLowerCase()) || DESCRIBING_ENDING.test(value);
}

/** Whether a bare value reads as a credential rather than a word, a number, a path or a variable. */
function looksLikeCredential(value: string): boolean {
  if (value.includes(REDACTED) || /^\*+$/.test(value)) return false;
  if (/^[A-Za-z]+$/.test(value)) return !isSentenceWord(value);
  if (value.length < 6) return false;
  if (/^(?:[/~$]|\.\.?\/)/.test(value) || value.includes('://')) return false;
  return true;
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

/**
 * A login told without colons: `user admin password hunter2`, `login admin pass hunter2`; group 1 is kept, group 2 is
 * the value.
 */
const LOGIN_PROSE =
  /((?<![\w-])(?:user(?:name)?|login)[ \t]+([^\s:=;,.]{1,64})[ \t]+(?:password|passwd|pass|pwd)[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi;

/**
 * An FTP login's password as `curl -v` echoes what it sent (`> PASS hunter2`), or SMTP's `> AUTH PLAIN <base64 of it>`.
 * Only after curl's `> `: a test runner's `PASS src/app.test.js` is no login.
 */
const PROTOCOL_PASS = /^(>[ \t](?:PASS|AUTH[ \t]+(?:PLAIN|LOGIN))[ \t]+)(\S.*?)[ \t]*$/gm;

/**
 * A row of two columns, a credential's name and its value, as `vault login` and `vault kv get` print them
 * (`token    hvs.CAES…`, `password   hunter2`) or a line `aws_secret_access_key wJalr…`; group 1 is kept.
 */
const TABLE_ROW = /^([ \t]*([A-Za-z][\w.-]{1,63})[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"']+)[ \t]*$/gm;

/** Replaces credentials given in prose, keeping the sentence. */
export function redactProseCredentials(text: string): string {
  return text
    .replace(PROSE, (_match, head: string, value: string) => `${head}${redactValue(value)}`)
    .replace(LOGIN_PROSE, (match, head: string, name: string, value: string) =>
      // `login succeeded password expires`: a sentence, not a user and their password.
      /^[A-Za-z]+$/.test(name) && isSentenceWord(name) ? match : `${head}${redactValue(value)}`,
    )
    .replace(PROTOCOL_PASS, (match, head: string, value: string) =>
      value.includes(REDACTED) ? match : `${head}${REDACTED}`,
    )
    .replace(TABLE_ROW, (match, head: string, key: string, value: string) =>
      // A word in capitals is a status (a test runner's `PASS src/app.test.js`), not a column's name; a second word
      // of letters only is a title's (`Token refresh`), not a value.
      isSensitiveKey(key) && !/^[A-Z]+$/.test(key) && !/^[A-Za-z]+$/.test(value)
        ? `${head}${redactValue(value)}`
        : match,
    );
}
