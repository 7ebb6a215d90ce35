import { describe, expect, it } from 'vitest';
import { checkVersion as check, plainLiterals } from '../../../src/core/index.ts';

/** The refusal as shown: the version typed is a literal span in it. */
const checkVersion = (...args: Parameters<typeof check>) => {
  const refused = check(...args);
  return refused && { message: plainLiterals(refused.message) };
};

const runbook = { parameters: { version: { pattern: String.raw`v\d+\.\d+\.\d+`, example: 'v1.3.0' } } };
const RULE = 'is not a valid version: use letters, digits, ".", "_", "+" and "-" (at most 128) (e.g. v1.3.0)';

describe('a refused version is quoted back as typed', () => {
  it('names quotes around a good version, once', () => {
    expect(checkVersion(runbook, '"v1.2.3"')?.message).toBe(
      `“"v1.2.3"” has quotes around it (type v1.2.3 without them) and ${RULE}`,
    );
    expect(checkVersion(runbook, '“v1.2.3”')?.message).toContain('(type v1.2.3 without them)');
  });

  it('keeps full-width characters and says what to type', () => {
    expect(checkVersion(runbook, 'v１.２.３')?.message).toBe(
      `"v１.２.３" has full-width or look-alike characters (type v1.2.3) and ${RULE}`,
    );
  });

  it('shows an emoji as itself, not ??', () => {
    expect(checkVersion(runbook, 'v1.2.3🚀')?.message).toBe(`"v1.2.3🚀" ${RULE}`);
  });
});
