/** A known secret that a step prints encoded (base64, URL, hex, JSON) is redacted like the secret itself. */
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/core/index.ts';

const SECRET = 'p@ss/w+rd&key=Zq9-XYZ secret!!';
const redactor = createRedactor({ secrets: [SECRET] });
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** [how it was encoded, the text a step printed, the encoded secret that must go]. */
const ENCODED: ReadonlyArray<readonly [string, string]> = [
  ['base64', base64(SECRET)],
  ['base64 without padding', base64(SECRET).replace(/=+$/, '')],
  ['base64url', Buffer.from(SECRET).toString('base64url')],
  ['encodeURIComponent', encodeURIComponent(SECRET)],
  ['form encoding', new URLSearchParams({ k: SECRET }).toString().slice(2)],
  ['lower-case percent escapes', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
  ["Python's quote (/ kept)", encodeURIComponent(SECRET).replaceAll('%2F', '/')],
  ['hex', Buffer.from(SECRET).toString('hex')],
  ['HEX', Buffer.from(SECRET).toString('hex').toUpperCase()],
];

describe('a known secret printed encoded', () => {
  it.each(ENCODED)('is redacted as %s', (_how, encoded) => {
    const out = redactor.redact(`before ${encoded} after`);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it('is redacted inside a longer base64 text, wherever it starts in it', () => {
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const encoded = base64(`${prefix}${SECRET}@host`);
      const out = redactor.redact(encoded);
      // Only the characters that the text around the secret decides are left (and two it shares with them).
      const left = out.replace(REDACTED, '');
      expect(out, prefix).toContain(REDACTED);
      expect(left.length, prefix).toBeLessThanOrEqual(base64(`${prefix}@host`).length + 2);
    }
  });

  it('is redacted when base64 wraps it over lines', () => {
    const long = `${SECRET}-${'0123456789'.repeat(8)}`;
    const wrapped = base64(long).replace(/.{76}/g, '$&\n');
    const out = createRedactor({ secrets: [long] }).redact(wrapped);
    for (const line of out.split('\n')) expect(line.length <= 8 || line === REDACTED, line).toBe(true);
  });

  it('is redacted JSON-escaped', () => {
    const quoted = 'say "hi" \\ bye';
    expect(createRedactor({ secrets: [quoted] }).redact(JSON.stringify({ v: quoted }))).toBe(
      `{"v":"${REDACTED}"}`,
    );
  });

  it('leaves innocent base64, hex and URLs alone, and stays idempotent', () => {
    for (const line of [
      base64('an ordinary build log line'),
      'deadbeefcafe0123',
      'https://x.example/a%2Fb?q=1+2',
    ]) {
      expect(redactor.redact(line)).toBe(line);
    }
    const once = redactor.redact(`${base64(SECRET)} ${encodeURIComponent(SECRET)}`);
    expect(redactor.redact(once)).toBe(once);
  });
});
