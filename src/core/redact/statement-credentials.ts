/**
 * Passwords in the statements and files that carry them by position rather than by a `key=value`: SQL
 * (`IDENTIFIED BY 'x'`, `PASSWORD 'x'`, `PASSWORD("x")`), XML elements named for a credential
 * (`<password>x</password>`) and `.netrc` lines (`login bot password x`).
 */
import { isSensitiveKey } from './key-values.ts';
import { REDACTED } from './redaction-marker.ts';

const QUOTED = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`;

/**
 * A quoted literal after `IDENTIFIED [WITH plugin] BY` or the `PASSWORD` keyword (a space after it) or function: the
 * quotes stay. `"password":"x"` is a JSON pair, which the key=value rules read.
 */
const SQL_PASSWORD = new RegExp(
  String.raw`((?<![\w-])(?:IDENTIFIED(?:[ \t]+WITH[ \t]+\w{1,64})?[ \t]+BY|PASSWORD)(?:[ \t]+|[ \t]*\([ \t]*))(${QUOTED})`,
  'gi',
);

/** `<password>x</password>`, `<db:secret>x</db:secret>`: the element's name decides. */
const XML_ELEMENT = /<([A-Za-z][\w.:-]{0,100})>([^<\n]*)<\/\1>/g;

/** `.netrc`: `machine host login bot password x` (and `default login bot password x`), on one line. */
const NETRC_PASSWORD =
  /((?<![\w-])(?:machine[ \t]+\S+|default)[ \t]+login[ \t]+\S+[ \t]+password[ \t]+)(\S+)/g;

function maskQuoted(literal: string): string {
  const quote = literal.slice(0, 1);
  return literal.length <= 2 ? literal : `${quote}${REDACTED}${quote}`;
}

/** Replaces passwords in SQL, XML and `.netrc` text, keeping the statement around them. */
export function redactStatementCredentials(text: string): string {
  return text
    .replace(SQL_PASSWORD, (_m, head: string, literal: string) => `${head}${maskQuoted(literal)}`)
    .replace(XML_ELEMENT, (match, name: string, value: string) =>
      value.trim() === '' || value === REDACTED || !isSensitiveKey(name.replace(/^[\w.-]*:/, ''))
        ? match
        : `<${name}>${REDACTED}</${name}>`,
    )
    .replace(NETRC_PASSWORD, `$1${REDACTED}`);
}
