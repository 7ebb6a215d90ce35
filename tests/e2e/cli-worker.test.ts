import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

describe('preflight worker', () => {
  it('needs REDIS_URL, and says why', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: '', RUNBOOK: 'examples/sandbox/runbook.yaml' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'preflight: preflight worker needs REDIS_URL: workers share one Redis with the bot (the embedded Redis serves one process only)\n',
    );
  });

  it('names a bad variable in one line', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: 'localhost:6379' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'preflight: REDIS_URL must be a URL like redis://localhost:6379 (got "localhost:6379")\n',
    );
  });
});
