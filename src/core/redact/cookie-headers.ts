/**
 * Session cookies in HTTP headers, as `curl -v` and proxies print them (`> Cookie: sid=…`, `< Set-Cookie: sid=…;
 * Path=/`): whoever holds one is logged in. The cookies' names and Set-Cookie's attributes stay.
 */
import { REDACTED } from './redaction-marker.ts';

/** The header's name (after a line start, a `>`/`<` of curl -v, a quote or a blank) and the rest of its line. */
const COOKIE_HEADER = /(?<![\w-])((?:set-)?cookie)([ \t]*:[ \t]*)([^\r\n"']*)/gi;
/**
 * `name=value` up to the next `;`: a name starts the value or follows a `;` or a blank, and is bounded, so text with
 * no `=` in it is not scanned again from each of its characters.
 */
const PAIR = /(?<=^|[;\s])([^=;\s]{1,256}=)([^;]*)/g;

/** Set-Cookie's cookie is its first pair; the attributes after it (`Path=/`, `Max-Age=60`) are no secret. */
const FIRST_PAIR = new RegExp(PAIR.source);

function redactPairs(value: string, onlyFirst: boolean): string {
  return value.replace(onlyFirst ? FIRST_PAIR : PAIR, (pair, name: string, cookie: string) =>
    cookie.trim() === '' || cookie.trim() === REDACTED ? pair : `${name}${REDACTED}`,
  );
}

/** Replaces the values of cookies sent or set in HTTP headers. */
export function redactCookieHeaders(text: string): string {
  if (!/cookie/i.test(text)) return text;
  return text.replace(COOKIE_HEADER, (_m, name: string, colon: string, value: string) => {
    const isSet = name.toLowerCase() === 'set-cookie';
    return `${name}${colon}${redactPairs(value, isSet)}`;
  });
}
