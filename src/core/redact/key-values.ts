/**
 * `key=value`, `key: value` and `"key": "value"` pairs whose key names a credential, and command-line options that
 * do (`--password hunter2`, `--api-token tk_…`).
 */
import { REDACTED } from './redaction-marker.ts';

// The key starts where a word starts; the lookahead-then-backreference pair consumes it atomically, so a long
// run of word characters is scanned once instead of once per starting position.
const KEY = /(?<![\w.-])(?=([\w.-]{1,200}))\1(\\?["']?)[ \t]*[:=][ \t]*/g;

/**
 * The rest of a bare value runs to whitespace or a quote: punctuation inside it (`Tr0ub4dor&3`, `pa;ss`) is part of
 * it. Punctuation ends it only at its end (`password=x;` or `(token=x)`) or where the next pair starts
 * (`?token=x&channel=ops`, `Password=x;User Id=y`); each lookahead is bounded by the word after it, so it stays linear.
 * A marker inside it is read whole, so its closing bracket is never left behind (`[REDACTED]]`).
 */
const VALUE_REST = String.raw`(?:\[REDACTED\]|[^\s"'&,;<>()[\]{}]|[<>()[\]{}](?=[^\s"'&,;<>()[\]{}])|[&,;](?=[^\s"'&,;<>()[\]{}])(?![\w.-]+(?:[ \t][\w.-]+)?[ \t]*[=:]))*`;

/** The value after a credential key, tried only there (sticky), with an Authorization scheme that is kept. */
const VALUE = new RegExp(
  String.raw`((?:[Bb]earer|[Bb]asic|[Tt]oken|[Dd]igest)[ \t]+)?(` +
    [
      // A known value already masked, with what follows it (the rest of a credential it starts).
      String.raw`\[REDACTED\]` + VALUE_REST,
      String.raw`"(?:[^"\\\n]|\\.)*"`,
      String.raw`'(?:[^'\\\n]|\\.)*'`,
      String.raw`\\"(?:[^"\\\n]|\\[^"])*\\"`, // JSON-escaped quotes: password=\"…\"
      String.raw`\$\{[A-Za-z_][A-Za-z0-9_]*\}`, // a shell variable, not its value
      String.raw`["']?[^\s"'&,;<>()[\]{}=]${VALUE_REST}`,
    ].join('|') +
    ')',
  'y',
);

const SENSITIVE_COMPACT =
  /password|passwd|passphrase|secret|apikey|accesskey|privatekey|authtoken|accesstoken|refreshtoken|credential/;
const SENSITIVE_SEGMENTS = new Set([
  'pwd',
  'pass',
  'pw',
  'token',
  'auth',
  'authorization',
  'authentication',
  'bearer', // curl --oauth2-bearer
  // keytool's and jarsigner's passwords
  'storepass',
  'keypass',
  'srcstorepass',
  'deststorepass',
  'srckeypass',
  'destkeypass',
]);
/** Keys ending in one of these describe a credential without holding it: `password_reset_count: 3`. */
const METADATA_SEGMENTS = new Set([
  'count',
  'length',
  'len',
  'size',
  'min',
  'max',
  'attempts',
  'retries',
  'expires',
  'expiry',
  'expiration',
  'ttl',
  'age',
  'type',
  'kind',
  'method',
  'scheme',
  'mode',
  'strategy',
  'provider',
  'policy',
  'enabled',
  'disabled',
  'required',
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'name',
  'hint',
  'rotated',
  'changed',
  'updated',
  'created',
  'at',
  'version',
]);
/** A file name (`secrets.yaml:16:5:` from a validator, a linter or grep -n): a position follows, not a credential. */
const FILE_NAME =
  /\.(?:ya?ml|json|jsonc|toml|ini|conf|cfg|env|properties|xml|md|txt|log|sh|bash|py|rb|go|rs|java|kt|js|mjs|cjs|ts|tf|hcl|sql|csv)$/i;
/** Shell variables that hold directories, not passwords. */
const DIRECTORY_KEYS = new Set(['PWD', 'OLDPWD']);
/** Values that are never secrets; redacting them only hides useful facts. */
const PLAIN_VALUES = new Set([
  '',
  'true',
  'false',
  'null',
  'nil',
  'none',
  'undefined',
  'yes',
  'no',
  'on',
  'off',
  'empty',
  'missing',
  'unset',
  'required',
  'optional',
  'enabled',
  'disabled',
  // Preflight's own words after a title in its reports ("Rotate the database password: succeeded").
  'pending',
  'waiting',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'canceled',
  'skipped',
  'interrupted',
  'met',
  'not',
  'done',
  REDACTED.toLowerCase(),
]);
const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;
const MASKED = /^\*+$/;

/** Whether a key such as `DB_PASSWORD`, `accessToken` or `X-Api-Key` names a credential. */
export function isSensitiveKey(key: string): boolean {
  if (DIRECTORY_KEYS.has(key) || FILE_NAME.test(key)) return false;
  const lower = key.toLowerCase();
  const segments = key
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter((s) => s !== '')
    .map((s) => s.toLowerCase());
  const last = segments.at(-1);
  if (last === undefined || METADATA_SEGMENTS.has(last)) return false;
  if (SENSITIVE_COMPACT.test(lower.replace(/[^a-z0-9]/g, ''))) return true;
  return segments.some((s) => SENSITIVE_SEGMENTS.has(s) || s.endsWith('token'));
}

function isPlainValue(value: string): boolean {
  return PLAIN_VALUES.has(value.toLowerCase()) || VARIABLE_REFERENCE.test(value) || MASKED.test(value);
}

function redactValue(value: string): string {
  for (const quote of ['"', "'", '\\"']) {
    if (!value.startsWith(quote)) continue;
    const closed = value.length >= 2 * quote.length && value.endsWith(quote);
    const inner = closed ? value.slice(quote.length, -quote.length) : value.slice(quote.length);
    if (isPlainValue(inner)) return value;
    return closed ? `${quote}${REDACTED}${quote}` : `${quote}${REDACTED}`;
  }
  return isPlainValue(value) ? value : REDACTED;
}

/** Whether a key is the ambiguous `pass:` (a verb in "checks pass: ok", a count in "pass: 3 tests"). */
function isPassColon(key: RegExpExecArray): boolean {
  return (key[1] ?? '').toLowerCase() === 'pass' && key[0].includes(':');
}

/** How far back the word before a `pass:` is read: bounded, so a long line of pairs stays linear. */
const LOOK_BACK = 80;
/**
 * What before `pass:` makes it a login's password: a `key=value` pair (`user=admin pass: x`), or a user named after
 * `user`/`login` (`user admin pass: x`, `login: admin pass: x`).
 */
const LOGIN_BEFORE = /(?:[\w.-]=[^\s=]*|(?<![\w-])(?:user(?:name)?|login|uid)(?:[ \t]*[:=])?[ \t]+\S+)$/i;

/**
 * "checks pass: toy-health ok" is a sentence, not a credential: the verb `pass` after a word on the same line,
 * followed by a colon. `pass=…`, a `pass:` that starts its line, follows `{`/`,` or a login (`user=admin pass: x`)
 * keep being redacted.
 */
function isProseVerb(text: string, key: RegExpExecArray): boolean {
  if (!isPassColon(key)) return false;
  // Read back over the blanks only: a look at the whole line before each match made a long line quadratic.
  let start = key.index;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start === key.index || start === 0) return false;
  if (!/[\p{L}\p{N})]$/u.test(text.slice(Math.max(0, start - 2), start))) return false;
  return !followsLogin(text, start);
}

/** Whether the line before `end` ends in a login's user (`user=admin`, `login admin`), read back a bounded way. */
function followsLogin(text: string, end: number): boolean {
  const before = text.slice(Math.max(0, end - LOOK_BACK), end).replace(/[ \t]+$/, '');
  return LOGIN_BEFORE.test(before.slice(before.lastIndexOf('\n') + 1));
}

/**
 * A whole number followed by a word or a list's comma reads as a count: `pass: 3 tests`, `pass: 12, fail: 0` (after a
 * login's user it is the password: `user=admin pass: 1234 ok`).
 */
const COUNT_AFTER = /^\d+(?:[ \t]*[,;]|[ \t]+\p{L})/u;

/**
 * Redacts the value after each match of `name` (a global pattern whose group 1 is the name) that `sensitive` accepts,
 * keeping the name and an Authorization scheme; `isValue` can turn down what follows.
 */
function redactValuesAfter(
  text: string,
  name: RegExp,
  sensitive: (match: RegExpExecArray) => boolean,
  isValue: (bare: string, name: RegExpExecArray, end: number) => boolean = () => true,
): string {
  let out = '';
  let from = 0;
  name.lastIndex = 0;
  for (let match = name.exec(text); match !== null; match = name.exec(text)) {
    if (!sensitive(match)) continue;
    VALUE.lastIndex = name.lastIndex;
    const value = VALUE.exec(text);
    if (value === null || !isValue(value[2] ?? '', match, VALUE.lastIndex)) continue;
    const [whole, scheme = '', bare = ''] = value;
    out += text.slice(from, name.lastIndex) + scheme + redactValue(bare);
    from = name.lastIndex + whole.length;
    name.lastIndex = from;
  }
  return out + text.slice(from);
}

/** Replaces the values of credential-named keys, keeping the keys. */
export function redactKeyValues(text: string): string {
  // Only a credential key's value is read, so a harmless pair (`url=https://…?token=…`) hides nothing.
  // The user in a URL (`https://x-access-token:…@github.com`) is no key: its password was redacted with the URL's.
  return redactValuesAfter(
    text,
    KEY,
    (key) =>
      isSensitiveKey(key[1] ?? '') && !isProseVerb(text, key) && !text.startsWith('://', key.index - 3),
    (_bare, key, end) =>
      !isPassColon(key) ||
      !COUNT_AFTER.test(text.slice(key.index + key[0].length, end + 40)) ||
      followsLogin(text, key.index),
  );
}

/** A command-line option and the space after it: `--password `, `-token `. */
const FLAG = /(?<![\w-])--?([A-Za-z][\w-]{0,60})[ \t]+/g;

/** Replaces the value after a credential-named option (`--password hunter2` → `--password [REDACTED]`). */
export function redactOptionValues(text: string): string {
  if (!text.includes('-')) return text;
  // The next option is not a value: `--password --stdin`; a `--no-…` switch takes none (`--no-auth-warning ping`),
  // nor does one that reads its value from standard input (`--password-stdin registry.example`).
  return redactValuesAfter(
    text,
    FLAG,
    (flag) => isSensitiveKey(flag[1] ?? '') && !/^no-|-stdin$/i.test(flag[1] ?? ''),
    (bare) => !bare.startsWith('-'),
  );
}
