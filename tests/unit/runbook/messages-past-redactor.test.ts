/**
 * Validation messages pass the redactor on their way to stderr and chat. One about a credential-named key or id
 * (`API_TOKEN`, `rotate-token`) must reach the reader whole: nothing in it is a secret, and a `"name": word` shape
 * would make the redactor hide the word that explains the problem.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRedactor, parseRunbook } from '../../../src/core/index.ts';
import { repoRoot } from '../../helpers/load-runbook.ts';

const minimal = readFileSync(`${repoRoot}tests/fixtures/valid/minimal.yaml`, 'utf8');
const redactor = createRedactor({});

/** The minimal runbook with `from` replaced by `to`, and its error messages. */
function errorsOf(from: string, to: string): string[] {
  expect(minimal).toContain(from);
  return parseRunbook(minimal.replace(from, to), 'r.yaml').errors.map((e) => e.message);
}

describe('validation messages about credential-named keys and ids survive the redactor', () => {
  it.each([
    [
      'a duplicate env key',
      'steps:',
      'env:\n  API_TOKEN: a\n  API_TOKEN: b\nsteps:',
      /already set on line 13/,
    ],
    [
      'an env key that is not a name',
      'steps:',
      'env:\n  1API_TOKEN: x\nsteps:',
      /environment variable names use/,
    ],
    [
      'a gate nobody can approve',
      'steps:',
      'groups: { token-team: [] }\ngates: { rotate-token: { approvers: [token-team] } }\nsteps:',
      /holds no people/,
    ],
    [
      'a duplicate step id',
      '  - id: deploy\n',
      '  - { id: rotate-token, title: B, run: ./b.sh }\n  - id: rotate-token\n',
      /steps\[0\] already uses it/,
    ],
  ])('%s', (_what, from, to, says) => {
    const messages = errorsOf(from, to);
    expect(messages.some((m) => says.test(m))).toBe(true);
    for (const message of messages) expect(redactor.redact(message)).toBe(message);
  });
});
