/**
 * Runbooks just under 1 MB shaped to make a YAML reader blow up (run out of memory, or take time in the square of
 * their size): each gets its errors and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-validate-shapes-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A heap a small container gives: the bot itself needs a fraction of it. */
const SMALL_HEAP = '--max-old-space-size=160';

function validate(name: string, text: string, nodeOptions = '') {
  const file = join(scratch, name);
  writeFileSync(file, text);
  const run = spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'validate', file],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '', NODE_OPTIONS: nodeOptions },
    },
  );
  return { file, run, lines: run.stderr.split('\n').filter((l) => l !== '') };
}

describe('preflight validate on hostile shapes under 1 MB', () => {
  it('brackets nested half a million deep: exit 1 and the one line saying so, no out-of-memory crash', () => {
    const depth = 500_000;
    const { file, run, lines } = validate(
      'deep.yaml',
      `version: 1\nv: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      SMALL_HEAP,
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    expect(lines).toEqual([
      `${file}:2:4: the YAML nests too deeply to read (thousands of [ or { inside each other); a runbook nests a few levels: close the brackets opened here`,
    ]);
  });

  it('15,000 repeats of one key: exit 1 with the first 50 placed and a count of the rest, not a hang', () => {
    const repeats = 15_000;
    const { file, run, lines } = validate(
      'repeats.yaml',
      `version: 1\nservice: x\n${'service: x\n'.repeat(repeats)}`,
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe(
      `${file}:3:1: duplicate key "service" (already set on line 2); each key may appear once in a mapping, so remove one of them`,
    );
    expect(lines[50]).toBe(
      `${file}: … and ${(repeats - 50).toLocaleString('en-US')} more errors not shown; fix the ones above first, then validate again`,
    );
  });

  it('16,000 tagged values (!t): exit 1 with the errors of the runbook, not a hang', () => {
    const { file, run, lines } = validate(
      'tags.yaml',
      `version: 1\nservice: x\nv: [${Array(16_000).fill('!t 1').join(',')}]\n`,
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:1:1: missing required keys `));
  });

  const tooManyTokens = (file: string, line: number, col: number) =>
    `${file}:${line}:${col}: the runbook holds more than 50,000 YAML tokens (keys, values, dashes, colons, commas and brackets) and passes that limit here; a runbook holds a few thousand: remove what is repeated`;

  it('half a million tiny list items [a,a,…] in a small heap: exit 1 at the token past the limit, no out-of-memory crash', () => {
    const { file, run, lines } = validate(
      'items.yaml',
      `version: 1\nservice: x\nv: [${'a,'.repeat(520_000)}a]\n`,
      SMALL_HEAP,
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    // version : 1 service : x v : [ are 9 tokens; then each a and , is one, from column 5 of line 3 on.
    expect(lines).toEqual([tooManyTokens(file, 3, 5 + (50_001 - 10))]);
  });

  it('a stray ] on each of 500,000 lines in a small heap: exit 1 at the token past the limit, not an error per line', () => {
    const { file, run, lines } = validate(
      'closers.yaml',
      `version: 1\nservice: x\n${']\n'.repeat(500_000)}`,
      SMALL_HEAP,
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    // version : 1 service : x are 6 tokens; then each ] is one, from line 3 on.
    expect(lines).toEqual([tooManyTokens(file, 3 + (50_001 - 7), 1)]);
  });
});
