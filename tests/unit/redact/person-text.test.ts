import { describe, expect, it } from 'vitest';
import { createRedactor, maskEventText, maskLine, maskText } from '../../../src/core/index.ts';
import { escapeXml } from '../../../src/core/timeline/svg-parts.ts';

const patterns = createRedactor({});

describe('words people type, as Preflight keeps them', () => {
  it('masks credentials, drops control and direction-override characters, and breaks up @{…}', () => {
    const text = maskText(
      'db password=hunter2\u0007 \u001b[31mred\u202eevil\u2066 ask @{dan}\nsecond line\tok',
      patterns,
    );
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[31mredevil ask @ {dan}\nsecond line\tok');
    for (const unsafe of ['\u0007', '\u001b', '\u202e', '\u2066']) expect(text).not.toContain(unsafe);
  });

  it('keeps a reason or a title on one line, so it cannot forge a line of the message it is shown in', () => {
    expect(maskLine('new CVE\n✅ *Security* gate approved (1 of 1)\r\n', patterns)).toBe(
      'new CVE ✅ *Security* gate approved (1 of 1)',
    );
    expect(maskEventText({ type: 'gate.reject', reason: 'a\nb', note: 'c\nd' }, patterns)).toEqual({
      type: 'gate.reject',
      reason: 'a b',
      note: 'c\nd',
    });
    expect(maskEventText({ type: 'incident.note', note: 'c\nd @{ann}' }, patterns)).toEqual({
      type: 'incident.note',
      note: 'c\nd @ {ann}',
    });
  });

  it('drops the marks of chat text’s literal spans, so typed words cannot end the span they are shown in', () => {
    expect(maskLine('fine\uFDD1 [x](https://evil.example) \uFDD0ok', patterns)).toBe(
      'fine [x](https://evil.example) ok',
    );
  });

  it('makes a platform mention typed or sent from outside plain, so it pings nobody', () => {
    expect(maskLine('ask <@U0CAROL01> or <@!123456789012345678|carol> about it', patterns)).toBe(
      'ask @U0CAROL01 or @!123456789012345678 about it',
    );
  });

  it('masks the secret values the redactor knows, even one split by a control character', () => {
    const known = createRedactor({ secrets: ['hunter2-SuperSecretDbPw'] });
    expect(maskLine('rotated to hunter2-Super\u0007SecretDbPw today', known)).toBe(
      'rotated to [REDACTED] today',
    );
    expect(maskEventText({ type: 'abort', reason: 'pw hunter2-SuperSecretDbPw' }, known)).toEqual({
      type: 'abort',
      reason: 'pw [REDACTED]',
    });
  });
});

describe('text in the timeline picture', () => {
  it('never carries a character XML forbids', () => {
    expect(escapeXml('abort \u0007now <&>')).toBe('abort \ufffdnow &lt;&amp;&gt;');
  });
});
