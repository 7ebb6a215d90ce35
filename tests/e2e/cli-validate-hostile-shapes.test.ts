/**
 * Runbooks just under 1 MB shaped to make a YAML reader blow up: each gets its one-line error, within a heap
 * far smaller than the parser alone would take for them, and in time.
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

function validate(name: string, text: string) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  const run = spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'validate', file],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '', NODE_OPTIONS: SMALL_HEAP },
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
    );
    expect(run.status, run.stderr.slice(-500)).toBe(1);
    expect(lines).toEqual([
      `${file}:2:4: the YAML nests too deeply to read (thousands of [ or { inside each other); a runbook nests a few levels: close the brackets opened here`,
    ]);
  });
});
