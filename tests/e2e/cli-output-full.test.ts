/** What the CLI says when its output cannot be written (a full disk), where a closed pipe ends it quietly. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = `${repoRoot}node_modules/.bin/node`;

/** Runs `preflight …` with its standard output on /dev/full, which refuses every write with ENOSPC. */
function intoFullDisk(...args: string[]) {
  const full = openSync('/dev/full', 'w');
  try {
    return spawnSync(node, ['bin/preflight.js', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', full, 'pipe'],
      timeout: 30_000,
    });
  } finally {
    closeSync(full);
  }
}

describe.skipIf(!existsSync('/dev/full'))('preflight with its output on a full disk', () => {
  it('says so in one line and exits 1, never with a stack', () => {
    for (const args of [
      ['schema'],
      ['plan', 'examples/sandbox/runbook.yaml'],
      ['validate', 'runbook.yaml'],
    ]) {
      const result = intoFullDisk(...args);
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(result.stderr).toContain(
        'preflight: cannot write the output: the disk is full; free some space or write elsewhere\n',
      );
      expect(result.status).toBe(1);
    }
  });
});
