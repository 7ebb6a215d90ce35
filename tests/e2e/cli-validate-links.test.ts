/** `preflight validate` on symbolic links that lead nowhere a file can be read: one line saying which and why. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-validate-links-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function validate(path: string) {
  return spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'validate', path],
    {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
    },
  );
}

const LOOP =
  'is a symbolic link that leads back to itself (through other links); point it at the runbook file';

describe('preflight validate on symbolic link loops', () => {
  it('a link to itself named directly: exit 2, says it loops, not that it does not exist', () => {
    symlinkSync('self.yaml', join(scratch, 'self.yaml'));
    const run = validate('self.yaml');
    expect(run.stderr.trim().split('\n')).toEqual([`self.yaml: ${LOOP}`]);
    expect(run.status).toBe(2);
  });

  it('two links to each other in a runbooks folder: one line each, in words, no errno code', () => {
    mkdirSync(join(scratch, 'runbooks'));
    symlinkSync('b.yaml', join(scratch, 'runbooks/a.yaml'));
    symlinkSync('a.yaml', join(scratch, 'runbooks/b.yaml'));
    const run = validate('runbooks');
    expect(run.stderr.trim().split('\n')).toEqual([
      `runbooks/a.yaml: cannot read the runbook: it ${LOOP}`,
      `runbooks/b.yaml: cannot read the runbook: it ${LOOP}`,
    ]);
    expect(run.status).toBe(2);
  });
});
