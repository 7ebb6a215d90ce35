/** What the command line says for the small things: its version, a folder of runbooks, a bad plan version or start. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

function preflightWith(env: Record<string, string>, ...args: string[]) {
  return spawnSync(join(repoRoot, 'node_modules/.bin/node'), ['bin/preflight.js', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', RUNBOOK: '', ...env },
    timeout: 60_000,
  });
}

const preflight = (...args: string[]) => preflightWith({}, ...args);

describe('the preflight command line', () => {
  it('preflight --version (or -v) prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = preflight('--version');
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.status).toBe(0);
    const short = preflight('-v');
    expect([short.stdout, short.stderr, short.status]).toEqual([`${version}\n`, '', 0]);
  });

  it('an option, command or argument it cannot take is said in one line, exit 2, with where the usage is', () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [['validate', '--bogus'], "unknown option '--bogus'"],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['audit', 'verify'], "missing required argument 'id'"],
      [['console', '--as'], "option '--as <person>' argument missing"],
      [['worker', 'extra'], "too many arguments for 'worker'. Expected 0 arguments but got 1: extra."],
    ];
    for (const [args, said] of cases) {
      const run = preflight(...args);
      expect([run.stderr, run.status, run.stdout]).toEqual([
        `preflight: ${said} (run "preflight --help" for usage)\n`,
        2,
        '',
      ]);
    }
  });

  it('preflight help <word> names a word that is no command, in one line; a command it knows gets its help', () => {
    const run = preflight('help', 'bogus');
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'preflight: help: unknown command "bogus"; the commands are validate, plan, schema, start, console, demo, worker, discord, audit (run "preflight --help" for usage)\n',
    );
    expect(run.status).toBe(2);
    const plan = preflight('help', 'plan');
    expect(plan.stdout).toMatch(/^Usage: preflight plan \[options\] \[file\]/);
    expect(plan.status).toBe(0);
  });

  it('help about a word that is no subcommand of audit or discord is said in one line too, wherever help stands', () => {
    const said =
      'preflight audit: help: unknown command "bogus"; the commands are verify, export (run "preflight audit --help" for usage)\n';
    for (const args of [
      ['audit', 'help', 'bogus'],
      ['help', 'audit', 'bogus'],
    ]) {
      const run = preflight(...args);
      expect([run.stderr, run.status, run.stdout]).toEqual([said, 2, '']);
    }
    const discord = preflight('discord', 'help', 'bogus');
    expect([discord.stderr, discord.status]).toEqual([
      'preflight discord: help: unknown command "bogus"; the commands are register (run "preflight discord --help" for usage)\n',
      2,
    ]);
    const verify = preflight('audit', 'help', 'verify');
    expect(verify.stdout).toMatch(/^Usage: preflight audit verify \[options\] <id>/);
    expect(verify.status).toBe(0);
  });

  it("preflight help help prints the help command's own usage, and help before a nested command prints that command's", () => {
    const usage = (...args: string[]) => {
      const run = preflight(...args);
      expect([run.stderr, run.status]).toEqual(['', 0]);
      return run.stdout;
    };
    const help = usage('help', 'help');
    expect(help).toMatch(/^Usage: preflight help \[command\]\n/);
    expect(help).toContain('display help for command');
    expect(help.replace(/\s+/g, ' ')).toContain(
      'validate, plan, schema, start, console, demo, worker, discord, audit',
    );
    expect(usage('help', 'help', 'start')).toBe(help);
    expect(usage('audit', 'help', 'help')).toMatch(/^Usage: preflight audit help \[command\]\n/);
    expect(usage('help', 'audit', 'help')).toBe(usage('audit', 'help', 'help'));
    expect(usage('help', 'audit', 'verify')).toMatch(/^Usage: preflight audit verify \[options\] <id>/);
    expect(usage('help', 'discord', 'register')).toMatch(/^Usage: preflight discord register \[options\]/);
    expect(usage('help', 'start', 'extra')).toMatch(/^Usage: preflight start \[options\]/);
    expect(usage('help')).toBe(usage('--help'));
    expect(usage('help', 'audit')).toBe(usage('audit', '--help'));
  });

  it('start refuses an --as that names no person of the runbook as console does, with no terminal and no chat too', () => {
    // Standard input is a pipe here, and no Slack or Discord is set: before it, nothing may touch this Redis.
    const env = { RUNBOOK: 'examples/sandbox/runbook.yaml', REDIS_URL: 'redis://127.0.0.1:1' };
    for (const as of ['bogus', '']) {
      const start = preflightWith(env, 'start', '--as', as);
      const console = preflightWith(env, 'console', '--as', as);
      expect(start.stderr).toMatch(/^preflight: --as .*people: alice, bob, carol, dave.*\)\n$/);
      expect([start.stderr, start.status, start.stdout]).toEqual([console.stderr, console.status, '']);
      expect(start.status).toBe(2);
    }
  });

  it('validates a folder the way RUNBOOK=<folder> loads it: other YAML files are skipped, not errors', () => {
    const run = preflight('validate', 'examples/sandbox');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      'examples/sandbox/alerts.yml: skipped: not a runbook (no top-level version:, service: or steps:)\n' +
        'examples/sandbox/runbook.yaml: ok: toy runbook, 4 steps, 2 gates, 7 checklist items, 5 health checks, 3 rollback steps, 3 escalation levels\n',
    );
    expect(run.status).toBe(0);
  });

  it('validates a runbook in a folder whose top-level keys are mistyped, instead of skipping it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'preflight-typo-'));
    try {
      const text = readFileSync(join(repoRoot, 'tests/fixtures/valid/minimal.yaml'), 'utf8');
      writeFileSync(
        join(folder, 'typo.yaml'),
        text.replace(/^version:/m, 'Version:').replace(/^service:/m, 'Service:'),
      );
      const run = preflight('validate', folder);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${join(folder, 'typo.yaml')}:`);
      expect(run.stderr).toContain('unknown key "Service" in the runbook; did you mean "service"?');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('plan refuses a --version that chat would refuse', () => {
    const run = preflight('plan', 'examples/sandbox/runbook.yaml', '--version', 'bad;rm');
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'preflight: --version: "bad;rm" is not a valid version: use letters, digits, ".", "_", "+" and "-" (at most 128) (e.g. v1.3.0)\n',
    );
    expect(run.status).toBe(2);
  });

  it("plan --env takes the runbook's environment whatever its case, and refuses one it does not have", () => {
    const run = preflight('plan', 'examples/sandbox/runbook.yaml', '--env', 'Staging', '--json');
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as { environment: string }).environment).toBe('staging');
    expect(run.status).toBe(0);
    const unknown = preflight('plan', 'examples/sandbox/runbook.yaml', '--env', 'qa');
    expect(unknown.stderr).toBe(
      'preflight: --env: unknown environment "qa"; this runbook has production, staging\n',
    );
    expect(unknown.status).toBe(2);
  });

  it('plan refuses a --start that names a day or time that does not exist, instead of rolling it over', () => {
    for (const start of ['2026-02-30T14:00:00+08:00', '2026-02-28T24:00:00Z', '2026-02-28T14:60:00Z']) {
      const run = preflight('plan', 'examples/sandbox/runbook.yaml', '--start', start);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`preflight: --start: "${start}" names a day or time that does not exist\n`);
      expect(run.status).toBe(2);
    }
    const leap = preflight('plan', 'examples/sandbox/runbook.yaml', '--start', '2024-02-29T14:00:00+08:00');
    expect(leap.status).toBe(0);
    expect(leap.stdout).toContain('2024-02-29');
  });
});
