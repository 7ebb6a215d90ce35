/**
 * Line endings: CRLF (Windows) reads as LF does; a file whose lines end in a lone CR (as classic Mac editors save)
 * is said to be so in one line, never "the file is empty" or the whole file quoted back as one value.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-line-endings-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const sandbox = readFileSync(join(repoRoot, 'examples/sandbox/runbook.yaml'), 'utf8');

function validate(name: string, text: string) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  const run = spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'validate', file],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
    },
  );
  return { file, run };
}

describe('preflight validate and line endings', () => {
  it('reads a runbook saved with CRLF line endings as valid', () => {
    const { run } = validate('crlf.yaml', sandbox.replaceAll('\n', '\r\n'));
    expect(run.status, run.stderr).toBe(0);
  });

  it.each([
    ['opening with comments', sandbox, '1:58'],
    ['opening with version:', sandbox.slice(sandbox.indexOf('version: 1')), '1:11'],
  ])(
    'a runbook whose lines end in a lone CR (%s): exit 1, one line saying so and what to do',
    (_, text, at) => {
      const { file, run } = validate('cr.yaml', text.replaceAll('\n', '\r'));
      expect(run.stderr).toBe(
        `${file}:${at}: the lines of this file end in a lone carriage return (CR, as old Mac editors save them); save it with LF (or CRLF) line endings\n`,
      );
      expect(run.status).toBe(1);
    },
  );
});
