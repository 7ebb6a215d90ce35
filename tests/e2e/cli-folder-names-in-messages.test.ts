/**
 * A message that names another file or folder in passing (the subfolder to name instead, a folder's runbooks, the
 * runbook that already runs a service) writes that name escaped as a file name, so a line break in it cannot split
 * the line: `preflight validate`, `plan` and `start`.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { ANA_LADDER, SHOP_HEAD } from '../helpers/plan-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-folder-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNBOOK = `${SHOP_HEAD}steps:
  - { id: go, title: Go, run: ./deploy.sh }
${ANA_LADDER}`;

// A folder whose only YAML file is in a subfolder named with a line break.
mkdirSync(join(dir, 'nested', 'a\nb'), { recursive: true });
writeFileSync(join(dir, 'nested', 'a\nb', 'r.yaml'), RUNBOOK);
// A folder with two runbooks of one service, one named with a line break.
mkdirSync(join(dir, 'two'));
writeFileSync(join(dir, 'two', 'a\nb.yaml'), RUNBOOK);
cpSync(join(dir, 'two', 'a\nb.yaml'), join(dir, 'two', 'c.yaml'));

const preflight = (args: string[], runbook = '') =>
  execa(join(repoRoot, 'node_modules/.bin/node'), [join(repoRoot, 'bin/preflight.js'), ...args], {
    cwd: dir,
    reject: false,
    timeout: 30_000,
    stdin: 'ignore',
    env: { NO_COLOR: '1', RUNBOOK: runbook, REDIS_URL: '', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '' },
  });

describe('a file or folder named in passing, its name holding a line break', () => {
  it('validate on a folder with only a subfolder of YAML: the suggested subfolder stays on the line', async () => {
    const run = await preflight(['validate', 'nested']);
    expect(run.stderr).toBe(
      'nested: the folder holds no .yaml or .yml runbook files (its subfolders are not read); name one that does, e.g. nested/a\\u000ab',
    );
    expect(run.exitCode).toBe(2);
  });

  it('plan on a folder of two runbooks: their names stay on the line', async () => {
    const run = await preflight(['plan', 'two']);
    expect(run.stderr).toBe(
      'preflight: two holds 2 runbooks (a\\u000ab.yaml, c.yaml); name one, e.g. preflight plan two/a\\u000ab.yaml',
    );
    expect(run.exitCode).toBe(2);
  });

  it('validate and start on two runbooks of one service: the other file stays on the line', async () => {
    const line =
      'two/c.yaml:2:1: service "shop" is also the service of two/a\\u000ab.yaml; Preflight runs one runbook per service, so keep one of them (or give this one its own service)';
    const validate = await preflight(['validate', 'two']);
    expect(validate.stderr.split('\n')).toEqual([line]);
    expect(validate.exitCode).toBe(1);
    const start = await preflight(['start'], 'two');
    expect(start.stderr.split('\n')).toContain(line);
    expect(start.stderr).not.toMatch(/^b\.yaml/m);
  });
});
