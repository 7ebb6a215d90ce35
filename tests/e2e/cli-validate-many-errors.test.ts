/** A runbook with sixteen thousand broken steps: a screenful of errors and a count of the rest, not every line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

let scratch: string;
let file: string;
/**
 * 16,000 empty steps under a header that lacks most required keys: 16,001 errors, in 48,008 YAML tokens (just
 * under the limit of 50,000).
 */
const STEPS = 16_000;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-validate-many-'));
  file = join(scratch, 'runbook.yaml');
  writeFileSync(file, `version: 1\nservice: x\nsteps:\n${'  - {}\n'.repeat(STEPS)}`);
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function preflight(args: string[], env: Record<string, string> = {}) {
  return spawnSync(join(repoRoot, 'node_modules/.bin/node'), [join(repoRoot, 'bin/preflight.js'), ...args], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', RUNBOOK: '', ...env },
  });
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('preflight validate on a runbook with 16,001 errors', () => {
  it('shows the first 50 with their positions, then one line counting the rest; exit 1', () => {
    const run = preflight(['validate', file]);
    expect(run.status).toBe(1);
    const out = lines(run.stderr);
    expect(out).toHaveLength(51);
    expect(out[0]).toBe(
      `${file}:1:1: missing required keys "timezone", "environments", "channels", "people", "permissions" and "escalation" in the runbook`,
    );
    expect(out[49]).toBe(`${file}:52:5: missing required keys "id" and "title" in steps[48]`);
    expect(out[50]).toBe(
      `${file}: … and 15,951 more errors not shown; fix the ones above first, then validate again`,
    );
  }, 120_000);
});

describe('preflight start refusing that runbook', () => {
  it('prints the same 50 errors and the count of the rest, not 16,001 lines', () => {
    const run = preflight(['start'], { RUNBOOK: file, REDIS_URL: 'redis://127.0.0.1:61001' });
    expect(run.status).toBe(1);
    const out = lines(run.stderr);
    expect(out.length).toBeLessThan(60);
    expect(out).toContain(`${file}:52:5: missing required keys "id" and "title" in steps[48]`);
    expect(out).toContain(
      `${file}: … and 15,951 more errors not shown; fix the ones above first, then validate again`,
    );
  }, 120_000);
});
