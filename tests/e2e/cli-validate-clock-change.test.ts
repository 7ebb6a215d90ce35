/**
 * `preflight validate` through the real bin on a window that closes in the hour the clocks skip or repeat: a warning
 * at the window's end, naming the date and when the window closes that day; none for a window that ends as they
 * change.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'preflight-window-end-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A runbook whose window opens the Saturday nights before Europe/Berlin's 2040 clock changes (dates never age). */
function writeRunbook(name: string, end: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `version: 1
service: night
timezone: Europe/Berlin
window:
  start: "22:00"
  end: "${end}"
  dates: ["2040-03-24", "2040-10-27"]
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
steps:
  - { id: deploy, title: Deploy, run: "true" }
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
`,
  );
  return file;
}

function validate(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', RUNBOOK: '', TZ: 'UTC' };
  return new Promise((resolve) => {
    execFile(
      node,
      ['bin/preflight.js', 'validate', file],
      { cwd: repoRoot, encoding: 'utf8', env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe.concurrent('preflight validate on a window that closes as the clocks change (Europe/Berlin)', () => {
  it('warns at window.end of a 22:00–02:30 window, saying when it closes on each night', async () => {
    const file = writeRunbook('late.yaml', '02:30');
    const run = await validate(file);
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `${file}:6:8: warning: the window 22:00–02:30 closes at 02:30, which does not exist on 2040-03-25 in Europe/Berlin (the clocks go forward); that day it closes at 03:30 instead, 4h30m after it opens`,
      `${file}:6:8: warning: the window 22:00–02:30 closes at 02:30, which comes twice on 2040-10-28 in Europe/Berlin (the clocks go back 1h); that day it closes at the first 02:30 (+02:00), not at the second (+01:00) 1h later`,
    ]);
  });

  it('says nothing of a 22:00–02:00 window, which closes as the clocks change', async () => {
    const run = await validate(writeRunbook('on-time.yaml', '02:00'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ok: night runbook');
  });
});
