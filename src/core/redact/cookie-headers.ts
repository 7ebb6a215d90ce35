/**
 * Session cookies in HTTP headers, as `curl -v` and proxies print them (`> Cookie: sid=…`, `< Set-Cookie: sid=…;
 * Path=/`): whoever holds one is logged in. The cookies' names and Set-Cookie's attributes stay.
 */
import { REDACTED } from './redaction-marker.ts';

/** The header's name (after a line start, a `>`/`<` of curl -v, a quote or a blank) and the rest of its line. */
const COOKIE_HEADER = /(?<![\w-])((?:set-)?cookie)([ \t]*:[ \t]*)([^\r\n"']*)/gi;
/** `name=value` up to the next `;`. */
const PAIR = /([^=;\s][^=;]*=)([^;]*)/g;

function redactPairs(value: string, onlyFirst: boolean): string {
  let seen = false;
  return value.replace(PAIR, (pair, name: string, cookie: string) => {
    if (onlyFirst && seen) return pair;
    seen = true;
    return cookie.trim() === '' || cookie.trim() === REDACTED ? pair : `${name}${REDACTED}`;
  });
}

/** Replaces the values of cookies sent or set in HTTP headers. */
export function redactCookieHeaders(text: string): string {
  if (!/cookie/i.test(text)) return text;
  return text.replace(COOKIE_HEADER, (_m, name: string, colon: string, value: string) => {
    const isSet = name.toLowerCase() === 'set-cookie';
    return `${name}${colon}${redactPairs(value, isSet)}`;
  });
}
