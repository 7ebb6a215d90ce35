/** `preflight validate` as users run it: the real bin, a real process, its exit code, stdout and stderr. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

/** The pinned Node 24 (the system `node` may be older and cannot run the TypeScript sources). */
const node = join(repoRoot, 'node_modules/.bin/node');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion; runs overlap, as each one spends most of its time starting Node. */
function preflight(...args: string[]): Promise<Run> {
  return preflightWith({}, ...args);
}

function preflightWith(extra: Record<string, string | undefined>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['bin/preflight.js', ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '', ...extra },
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

function expectNoStackTrace(run: Run): void {
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('unexpected error');
}

describe.concurrent('the preflight CLI (a real process per test, run side by side)', () => {
  describe('preflight validate on broken runbooks', () => {
    it.each([
      '03-duplicate-key',
      '15-duration-without-unit',
      '22-unknown-gate-in-needs',
      '60-two-mistakes',
      '61-error-and-warning',
    ])('%s: exit 1, stderr is the .expected file', async (name) => {
      const run = await preflight('validate', `tests/fixtures/broken/${name}.yaml`);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(readFileSync(join(repoRoot, `tests/fixtures/broken/${name}.expected`), 'utf8'));
    });
  });

  describe('preflight validate on garbage', () => {
    let scratch: string;
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'preflight-e2e-'));
    });
    afterAll(() => {
      rmSync(scratch, { recursive: true, force: true });
    });

    it.each([
      ['binary.png', '1:1', 'this is a binary file, not a YAML runbook'],
      ['empty.yaml', '1:1', 'the file is empty; a runbook is a YAML mapping'],
      ['whitespace.yaml', '1:1', 'the file is empty; a runbook is a YAML mapping'],
      ['json-array.json', '1:1', 'this file is not a runbook: it holds a list; a runbook is a YAML mapping'],
      [
        'not-a-runbook.json',
        '1:1',
        "this file is not a runbook: only 1 of its 4 top-level keys is a runbook's; a runbook is a YAML mapping",
      ],
      [
        'invalid-utf8.yaml',
        '3:11',
        'the file is not valid UTF-8 text (byte 0xE9); save the runbook as UTF-8',
      ],
      ['utf16.yaml', '1:1', 'the file is UTF-16 text; save the runbook as UTF-8'],
      ['alias-bomb.yaml', '2:8', 'YAML aliases (*a) are not allowed in runbooks'],
    ])('%s: exit 1 with one line at %s', async (name, position, message) => {
      const file = `tests/fixtures/garbage/${name}`;
      const run = await preflight('validate', file);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr.startsWith(`${file}:${position}: ${message}`), run.stderr).toBe(true);
      expectNoStackTrace(run);
    });

    it('a list nested 10,000 brackets deep: exit 1, one line saying it nests too deeply', async () => {
      // Here the parser's stack runs out while V8 compiles one of its regular expressions, not in a call.
      const file = join(scratch, 'deep.yaml');
      writeFileSync(file, `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
      const run = await preflight('validate', file);
      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toEqual([
        `${file}:1:4: the YAML nests too deeply to read (thousands of [ or { inside each other); a runbook nests a few levels: close the brackets opened here`,
      ]);
      expectNoStackTrace(run);
    });

    it('nested by "- " and indentation, not brackets: the line says so, at where it got too deep', async () => {
      const dashes = join(scratch, 'deep-dashes.yaml');
      writeFileSync(dashes, `version: 1\nsteps:\n  ${'- '.repeat(20_000)}x\n`);
      const indented = join(scratch, 'deep-indent.yaml');
      writeFileSync(
        indented,
        `version: 1\nsteps:\n${Array.from({ length: 1_300 }, (_, i) => `${' '.repeat(i + 1)}a${i}:\n`).join('')}`,
      );
      const runs = await Promise.all([preflight('validate', dashes), preflight('validate', indented)]);
      for (const [file, run] of [
        [dashes, runs[0]],
        [indented, runs[1]],
      ] as const) {
        expect(run?.status).toBe(1);
        expect(lines(run?.stderr ?? '')).toHaveLength(1);
        expect(run?.stderr).toMatch(
          new RegExp(
            `^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: the YAML nests too deeply to read \\(keys or "- " list items indented inside each other hundreds of levels deep\\); a runbook nests a few levels: check the indentation and the dashes up to here\\n$`,
          ),
        );
      }
    });

    it('a !!binary value where text belongs is called binary data, not a mapping, at its place', async () => {
      const file = join(scratch, 'binary-title.yaml');
      writeFileSync(
        file,
        'version: 1\nservice: shop\nsteps:\n  - id: a\n    title: !!binary aGVsbG8=\n    run: "true"\n',
      );
      const run = await preflight('validate', file);
      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toContain(
        `${file}:5:21: steps[0].title: expected text, found binary data (a !!binary value)`,
      );
    });

    it('a 10 MB file: exit 1, refused by size in one line', async () => {
      const file = join(scratch, 'huge.yaml');
      writeFileSync(file, `steps:\n${'  - { id: step, title: "a step", run: "true" }\n'.repeat(230_000)}`);
      const run = await preflight('validate', file);
      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toEqual([`${file}:1:1: the file is 10.3 MB; a runbook may be at most 1 MB`]);
      expectNoStackTrace(run);
    });
  });

  describe('preflight usage errors', () => {
    it('a missing file: exit 2, one line naming it', async () => {
      const run = await preflight('validate', 'tests/fixtures/no-such-runbook.yaml');
      expect(run.status).toBe(2);
      expect(lines(run.stderr)).toEqual(['tests/fixtures/no-such-runbook.yaml: no such file or folder']);
      expectNoStackTrace(run);
    });

    it('a folder whose runbooks are in its subfolders: exit 2, naming a subfolder to give instead', async () => {
      const run = await preflight('validate', 'examples');
      expect(run.status).toBe(2);
      expect(lines(run.stderr)).toEqual([
        'examples: the folder holds no .yaml or .yml runbook files (its subfolders are not read); name one that does, e.g. examples/sandbox',
      ]);
      expectNoStackTrace(run);
    });

    it('a device or a pipe: exit 2 at once, one line, nothing read', async () => {
      const run = await preflight('validate', '/dev/zero');
      expect(run.status).toBe(2);
      expect(lines(run.stderr)).toEqual([
        '/dev/zero: is not a plain file (a device, a pipe or a socket); give a runbook file',
      ]);
      expectNoStackTrace(run);
    });

    it.each([
      ['validate', 'runbook.yaml: no such file or folder'],
      ['plan', 'preflight: runbook.yaml: no such file'],
    ])(
      '%s with no runbook named, in a folder without runbook.yaml: exit 2, says how to name one',
      (command, start) => {
        const empty = mkdtempSync(join(tmpdir(), 'preflight-no-runbook-'));
        try {
          const run = spawnSync(node, [join(repoRoot, 'bin/preflight.js'), command], {
            cwd: empty,
            env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
            encoding: 'utf8',
            timeout: 30_000,
          });
          expect(run.status).toBe(2);
          expect(lines(run.stderr)).toEqual([
            `${start} here (the runbook read when none is named); name a runbook file or folder, or set RUNBOOK to one`,
          ]);
        } finally {
          rmSync(empty, { recursive: true, force: true });
        }
      },
    );

    it('console --script naming a folder: exit 2, one line saying to give a file', async () => {
      const run = await preflight('console', '--script', 'examples');
      expect(run.status).toBe(2);
      expect(lines(run.stderr)).toEqual([
        'preflight: --script examples: is a folder; give a file of console lines (e.g. examples/sandbox/demo-script.txt)',
      ]);
      expectNoStackTrace(run);
    });

    it('an unknown command: exit 2', async () => {
      const run = await preflight('frobnicate');
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("unknown command 'frobnicate'");
      expectNoStackTrace(run);
    });
  });

  describe('preflight validate on two runbooks for one service', () => {
    it('fails as preflight start would, at the second file, and reads a file named twice once', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'preflight-two-'));
      try {
        const text = readFileSync(join(repoRoot, 'tests/fixtures/valid/minimal.yaml'), 'utf8');
        writeFileSync(join(folder, 'a.yaml'), text);
        writeFileSync(join(folder, 'b.yaml'), text);
        const line = text.split('\n').findIndex((l) => l.startsWith('service:')) + 1;
        const run = await preflight('validate', folder);
        expect(run.status).toBe(1);
        expect(lines(run.stdout)).toEqual([expect.stringMatching(/a\.yaml: ok: shop runbook/)]);
        expect(lines(run.stderr)).toEqual([
          `${join(folder, 'b.yaml')}:${line}:1: service "shop" is also the service of ${join(folder, 'a.yaml')}; Preflight runs one runbook per service, so keep one of them (or give this one its own service)`,
        ]);
        const same = await preflight('validate', join(folder, 'a.yaml'), join(folder, 'a.yaml'));
        expect(same.status).toBe(0);
        expect(lines(same.stdout)).toHaveLength(1);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  describe('preflight validate on a runbook whose file name names a credential', () => {
    it.each(['secrets.yaml', 'token-rotation.yaml', 'password-reset.yml'])(
      '%s: every problem keeps its FILE:LINE:COL',
      async (name) => {
        const folder = mkdtempSync(join(tmpdir(), 'preflight-named-'));
        try {
          const broken = readFileSync(
            join(repoRoot, 'tests/fixtures/broken/11-misspelt-timeout.yaml'),
            'utf8',
          );
          const expected = readFileSync(
            join(repoRoot, 'tests/fixtures/broken/11-misspelt-timeout.expected'),
            'utf8',
          );
          writeFileSync(join(folder, name), broken);
          const run = await preflight('validate', join(folder, name));
          expect(run.status).toBe(1);
          expect(run.stderr).toBe(
            expected.replaceAll('tests/fixtures/broken/11-misspelt-timeout.yaml', join(folder, name)),
          );
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
      },
    );
  });

  describe('preflight validate on a valid runbook', () => {
    it('exits 0 with a one-line summary on stdout and nothing on stderr', async () => {
      const run = await preflight('validate', 'tests/fixtures/valid/minimal.yaml');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(lines(run.stdout)).toEqual([
        'tests/fixtures/valid/minimal.yaml: ok: shop runbook, 1 step, 0 gates, 0 checklist items, 0 health checks, 0 rollback steps, 1 escalation level',
      ]);
    });
  });

  describe('preflight validate and monitoring URLs', () => {
    it('warns about prometheus and alertmanager checks with no URL from the runbook or the environment', async () => {
      const unset = { PROMETHEUS_URL: '', ALERTMANAGER_URL: '' };
      const run = await preflightWith(unset, 'validate', 'runbook.yaml');
      expect(run.status).toBe(0);
      // The warning points at the trigger's prometheus: key, the line after its title.
      const lines = readFileSync(join(repoRoot, 'runbook.yaml'), 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('id: performance-degradation')) + 3;
      expect(run.stderr).toContain(
        `runbook.yaml:${at}:7: warning: trigger performance-degradation has no url and PROMETHEUS_URL is not set`,
      );
      expect(run.stderr).toContain(
        'warning: health check critical-alerts has no url and ALERTMANAGER_URL is not set',
      );
      // A trigger Alertmanager's webhook feeds still fires without a URL: the warning says what it lacks.
      expect(run.stderr).toContain(
        "warning: trigger multiple-critical-alerts has no url and ALERTMANAGER_URL is not set: only Alertmanager's webhook (POST /webhooks/alertmanager) can fire it",
      );
      const set = { PROMETHEUS_URL: 'http://127.0.0.1:9090', ALERTMANAGER_URL: 'http://127.0.0.1:9093' };
      const quiet = await preflightWith(set, 'validate', 'runbook.yaml');
      expect(quiet.stderr).toBe('');
      expect(quiet.status).toBe(0);
    });
  });
});
