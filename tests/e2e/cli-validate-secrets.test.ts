/** `preflight validate` quotes what it found where a runbook value belongs, never a credential cut short. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-validate-secrets-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function validate(name: string, text: string) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'validate', file],
    {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
    },
  );
}

describe('preflight validate on a file of credentials', () => {
  it('a .env file given by mistake: says it is not a runbook, without the password', () => {
    const run = validate('dot-env.yaml', 'DATABASE_URL=postgres://admin:hunter2-pw@db/app\nJWT_SECRET=abc\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /dot-env\.yaml:1:1: a runbook is a mapping of keys .* the single text "DATABASE_URL=postgres:\/\/admin:\[REDACT/,
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('a long URL with a password where a value belongs: names the key, without the password', () => {
    const url = `postgres://admin:${'hunter2'.repeat(8)}@db.example.com/app`;
    const run = validate('version.yaml', `version: "${url}"\nservice: x\n`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'version.yaml:1:10: version: this Preflight reads runbook format version 1 only',
    );
    expect(run.stderr).not.toContain('hunter2');
  });
});
