/** `preflight start` with an invalid runbook writes the lines `preflight validate` writes, the file named as given. */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const run = (args: string[], runbook: string) =>
  spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, RUNBOOK: runbook, REDIS_URL: '', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '' },
  });

describe('preflight start with an invalid runbook whose file is named like a secret', () => {
  it('keeps the position FILE:LINE:COL readable, as validate writes it, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preflight-start-invalid-'));
    dirs.push(dir);
    const file = join(dir, 'passwd');
    await copyFile(join(repoRoot, 'tests/fixtures/broken/03-duplicate-key.yaml'), file);
    const validated = run(['validate', file], file);
    expect(validated.stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+: duplicate key`));
    const started = run(['start'], file);
    expect(started.stderr).toBe(
      `preflight: a runbook is invalid:\n${validated.stderr}(run "preflight validate" for details)\n`,
    );
    expect(started.stderr).not.toContain('[REDACTED]');
    expect(started.status).toBe(1);
  });
});
