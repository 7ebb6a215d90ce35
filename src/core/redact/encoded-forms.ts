/**
 * The shapes a known secret takes when a step prints it encoded: base64 (alone, or inside a longer encoded text
 * such as `user:secret`), hex, JSON-escaped, and URL-encoded with any choice of escaped characters.
 */

/** Encoded forms shorter than this are not searched for: they would match innocent text. */
const MIN_FORM_LENGTH = 8;
/** `base64` (coreutils) wraps its output at 76 characters. */
const BASE64_LINE = 76;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const base64Of = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const hexOf = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The base64 characters that the secret alone decides, whatever bytes come before and after it: one run for each
 * of the three places it can start within a 3-byte group.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (let lead = 0; lead < 3; lead++) {
    const text = base64Of(new Uint8Array([...new Uint8Array(lead), ...bytes]));
    const first = Math.ceil((8 * lead) / 6);
    const end = Math.floor((8 * (lead + bytes.length)) / 6);
    cores.push(text.slice(first, end));
  }
  return cores;
}

function base64Forms(bytes: Uint8Array): string[] {
  const whole = base64Of(bytes);
  const wrapped = whole.length > BASE64_LINE ? (whole.match(/.{1,76}/g) ?? []) : [];
  const forms = [whole, whole.replace(/=+$/, ''), ...wrapped, ...base64Cores(bytes)];
  return [...forms, ...forms.map((form) => form.replaceAll('+', '-').replaceAll('/', '_'))];
}

/**
 * The literal texts to redact besides the secret itself (at least 8 characters, none equal to the secret): its
 * base64 and base64url (padded, unpadded, wrapped at 76, and the runs it fixes inside longer encoded texts), its
 * hex in either case, and its JSON string escape.
 */
export function encodedFormsOf(secret: string): string[] {
  const bytes = utf8(secret);
  const hex = hexOf(bytes);
  const forms = [...base64Forms(bytes), hex, hex.toUpperCase(), JSON.stringify(secret).slice(1, -1)];
  return [...new Set(forms)].filter((form) => form.length >= MIN_FORM_LENGTH && form !== secret);
}

const PLAIN = /^[A-Za-z0-9]$/;

/** The text as a regular-expression source that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `%2f` or `%2F` for each UTF-8 byte of one character. */
function percentPattern(char: string): string {
  return [...hexOf(utf8(char)).matchAll(/(.)(.)/g)]
    .map(([, high = '0', low = '0']) => {
      const either = (digit: string) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit);
      return `%${either(high)}${either(low)}`;
    })
    .join('');
}

/**
 * A regular-expression source matching the secret as written or URL-encoded by any tool: every character other
 * than a letter or digit may appear as itself or percent-encoded (either case), a space also as `+`. Each
 * position is a choice between fixed texts, so the match stays linear.
 */
export function urlTolerantPattern(secret: string): string {
  return [...secret]
    .map((char) => {
      if (PLAIN.test(char)) return char;
      const choices = [escapeRegExp(char), percentPattern(char), ...(char === ' ' ? ['\\+'] : [])];
      return `(?:${choices.join('|')})`;
    })
    .join('');
}
