/**
 * `preflight plan` on the nights the clocks change, through the real bin on machines set to other time zones:
 * the schedule follows the runbook's zone (Europe/Berlin), never the machine's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'preflight-clock-change-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runbook = join(dir, 'night.yaml');
writeFileSync(
  runbook,
  `version: 1
service: night
timezone: Europe/Berlin
window: { start: "01:00", end: "04:00" }
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
steps:
  - { id: drain, title: Drain, at: "01:45", run: "true" }
  - { id: migrate, title: Migrate, at: "02:30", run: "true" }
  - { id: verify, title: Verify, at: "03:45", run: "true" }
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
`,
);

/** The local start of every step, as `preflight plan --json` prints it on a machine whose zone is `machineZone`. */
function stepStarts(machineZone: string, start: string): Promise<string[]> {
  const argv = ['bin/preflight.js', 'plan', runbook, '--start', start, '--json'];
  const env = { ...process.env, NO_COLOR: '1', RUNBOOK: '', TZ: machineZone };
  return new Promise((resolve, reject) => {
    execFile(
      node,
      argv,
      { cwd: repoRoot, encoding: 'utf8', env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`preflight plan failed: ${stderr}`));
        else resolve(JSON.parse(stdout).steps.map((s: { at: { local: string } }) => s.at.local));
      },
    );
  });
}

describe.concurrent('preflight plan on the nights the clocks change (runbook in Europe/Berlin)', () => {
  it.each(['UTC', 'Europe/London'])(
    'on a %s machine, puts 02:30 on the night the clocks go forward at 03:30, after the jump',
    async (machineZone) => {
      expect(await stepStarts(machineZone, '2026-03-29T01:30:00+01:00')).toEqual([
        '2026-03-29T01:45:00+01:00',
        '2026-03-29T03:30:00+02:00',
        '2026-03-29T03:45:00+02:00',
      ]);
    },
  );

  it.each(['UTC', 'Europe/London'])(
    'on a %s machine, puts 02:30 on the night the clocks go back at its first occurrence, not an hour later',
    async (machineZone) => {
      expect(await stepStarts(machineZone, '2026-10-25T01:30:00+02:00')).toEqual([
        '2026-10-25T01:45:00+02:00',
        '2026-10-25T02:30:00+02:00',
        '2026-10-25T03:45:00+01:00',
      ]);
    },
  );
});
