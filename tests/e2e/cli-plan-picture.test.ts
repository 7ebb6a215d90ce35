/** `preflight plan --format svg|png --out FILE`: the dry run as a picture, through the real bin. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { pngSize, readMarks } from '../helpers/svg-marks.ts';

const node = join(repoRoot, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `preflight plan` on the Sparkle runbook; runs overlap, as each spends most of its time starting Node. */
function plan(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return planOf('runbook.yaml', ...args);
}

function planOf(
  file: string,
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const argv = ['bin/preflight.js', 'plan', file, '--start', '2026-01-07T14:00:00+08:00', ...args];
  const env = { ...process.env, NO_COLOR: '1', RUNBOOK: '' };
  return new Promise((resolve) => {
    execFile(node, argv, { cwd: repoRoot, encoding: 'utf8', env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('preflight plan as a picture', () => {
  it('writes a 1200-pixel PNG with --format png --out', async () => {
    const out = join(dir, 'sparkle.png');
    const run = await plan('--format', 'png', '--out', out);
    expect(run.stderr).toContain(`Wrote the PNG timeline to ${out}`);
    expect(run.status).toBe(0);
    expect(pngSize(readFileSync(out)).width).toBe(1200);
  });

  it('prints the SVG with --format svg, the migration at 14:00 +08:00', async () => {
    const run = await plan('--format', 'svg');
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('<svg ')).toBe(true);
    const migration = readMarks(run.stdout).find((m) => m.row.endsWith('Database migration'));
    expect(migration?.from).toBe('2026-01-07T06:00:00.000Z');
  });

  it('takes the format from --out’s extension, and the only runbook of a folder', async () => {
    const out = join(dir, 'by-extension.png');
    const run = await plan('--out', out);
    expect(run.status).toBe(0);
    expect(pngSize(readFileSync(out)).width).toBe(1200);
    const folder = await planOf('runbooks');
    expect(folder.status).toBe(0);
    expect(folder.stdout).toMatch(/^Plan: toy → production/);
    const two = mkdtempSync(join(tmpdir(), 'preflight-two-'));
    try {
      for (const name of ['a.yaml', 'b.yaml'])
        writeFileSync(join(two, name), readFileSync(join(repoRoot, 'runbooks/toy.yaml')));
      const both = await planOf(two);
      expect(both.status).toBe(2);
      expect(both.stderr.trim()).toBe(
        `preflight: ${two} holds 2 runbooks (a.yaml, b.yaml); name one, e.g. preflight plan ${join(two, 'a.yaml')}`,
      );
    } finally {
      rmSync(two, { recursive: true, force: true });
    }
  });

  it('refuses a PNG on standard output and an unknown format, saying what to do', async () => {
    const [png, gif, nowhere, folder] = await Promise.all([
      plan('--format', 'png'),
      plan('--format', 'gif'),
      plan('--format', 'svg', '--out', join(dir, 'missing', 'x.svg')),
      plan('--format', 'svg', '--out', dir),
    ]);
    expect(png.status).toBe(2);
    expect(png.stderr.trim()).toBe(
      'preflight: --format png writes a picture: add --out FILE (e.g. --out plan.png)',
    );
    expect(gif.status).toBe(2);
    expect(gif.stderr.trim()).toBe('preflight: --format: "gif" is not one of text, json, svg, png');
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr.trim()).toBe(
      `preflight: --out: cannot write ${join(dir, 'missing', 'x.svg')}: the folder ${join(dir, 'missing')} does not exist; create it or write elsewhere`,
    );
    expect(folder.status).toBe(2);
    expect(folder.stderr.trim()).toBe(
      `preflight: --out: cannot write ${dir}: it is a folder; name a file in it`,
    );
  });

  it('refuses an empty --out, a folder that takes no file, a full disk and a start before 1970, in words, never the system error', async () => {
    const [empty, proc, full] = await Promise.all([
      plan('--out', ''),
      plan('--out', '/proc/plan.txt'),
      plan('--format', 'svg', '--out', '/dev/full'),
    ]);
    expect(empty.status).toBe(2);
    expect(empty.stderr.trim()).toBe(
      'preflight: --out: the file name is empty; name the file to write, e.g. --out plan.png',
    );
    expect(proc.status).toBe(2);
    expect(proc.stderr.trim()).toBe(
      'preflight: --out: cannot write /proc/plan.txt: the folder /proc takes no new file; write elsewhere',
    );
    const ancient = await plan('--start', '0001-01-01T00:00:00Z');
    expect(ancient.status).toBe(2);
    expect(ancient.stderr.trim()).toBe(
      'preflight: --start: "0001-01-01T00:00:00Z" is before 1970; give when the deployment would start, e.g. 2026-01-07T14:00:00+08:00',
    );
    expect(full.status).toBe(2);
    expect(full.stderr.trim()).toBe(
      'preflight: --out: cannot write /dev/full: the disk is full; free some space or write elsewhere',
    );
  });

  it('refuses a start in the year 9999 or later, whose plan would run into year 10000, in one line', async () => {
    const [last, json] = await Promise.all([
      plan('--start', '9999-12-31T23:59:59Z'),
      plan('--start', '9999-01-01T00:00:00Z', '--json'),
    ]);
    for (const [run, start] of [
      [last, '9999-12-31T23:59:59Z'],
      [json, '9999-01-01T00:00:00Z'],
    ] as const) {
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `preflight: --start: "${start}" is in the year 9999 or later; give when the deployment would start, e.g. 2026-01-07T14:00:00+08:00\n`,
      );
    }
    const before = await plan('--start', '9998-12-31T12:00:00Z', '--json');
    expect(before.status, before.stderr).toBe(0);
  });

  it('takes --format in any case, and refuses a format its --out name contradicts', async () => {
    const upper = join(dir, 'upper.png');
    const mismatch = join(dir, 'mismatch.svg');
    const [png, wrong] = await Promise.all([
      plan('--format', 'PNG', '--out', upper),
      plan('--format', 'png', '--out', mismatch),
    ]);
    expect(png.stderr).toContain(`Wrote the PNG timeline to ${upper}`);
    expect(png.status).toBe(0);
    expect(pngSize(readFileSync(upper)).width).toBe(1200);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toBe(
      `preflight: --format png and --out ${mismatch} disagree (that name says svg): name the file .png, or drop --format to write svg`,
    );
    expect(existsSync(mismatch)).toBe(false);
  });
});
