/**
 * What `preflight validate` and `plan` write about a runbook: never a credential cut short, never a control character
 * the terminal would act on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  return preflight(name, text, 'validate');
}

function preflight(name: string, text: string, ...args: string[]) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return spawnSync(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), ...args, file],
    {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
    },
  );
}

describe('preflight validate on a file of credentials', () => {
  it('a .env file given by mistake: says it is not a runbook, without a word of it', () => {
    const run = validate('dot-env.yaml', 'DATABASE_URL=postgres://admin:hunter2-pw@db/app\nJWT_SECRET=abc\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /dot-env\.yaml:1:1: this file is not a runbook: it holds text, not YAML keys; a runbook is a YAML mapping that starts with version: 1 and service: …\n$/,
    );
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).not.toContain('DATABASE_URL');
  });

  it('a file that is no runbook says so in FILE:LINE:COL form, quoting neither its keys nor its text', () => {
    const notRunbook = ': this file is not a runbook';
    const startsWith = '; a runbook is a YAML mapping that starts with version: 1 and service: …\n';
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      [
        'passwd',
        'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n',
        ': it holds text, not YAML keys',
      ],
      [
        'credentials',
        'db_password: hunter2-pw\napi_token: tok-4f9a2c\nhost: db.internal\n',
        ": none of its 3 top-level keys is a runbook's",
      ],
      [
        'secrets.yaml',
        'service: shop\ndb_password: hunter2-pw\napi_token: tok-4f9a2c\nimage: nginx\n',
        ": only 1 of its 4 top-level keys is a runbook's",
      ],
      ['list.yaml', '- db_password: hunter2-pw\n', ': it holds a list'],
      ['number.yaml', '4242\n', ': it holds a single value, not YAML keys'],
    ];
    for (const [name, text, why] of cases) {
      const run = validate(name, text);
      expect(run.stderr).toBe(`${join(scratch, name)}:1:1${notRunbook}${why}${startsWith}`);
      expect(run.status).toBe(1);
      for (const word of ['hunter2', 'db_password', 'api_token', 'root:x', 'REDACTED', '4242'])
        expect(run.stderr).not.toContain(word);
    }
  });

  it('a file that is no runbook with a YAML syntax error: FILE:LINE:COL and what is wrong, quoting none of it', () => {
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      [
        'passwd',
        'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1: daemon:/usr/sbin:/usr/sbin/nologin\n',
        '1:1',
        'this line has no ":" after its key, so YAML joins it with the next line into one key',
      ],
      [
        'credentials.yaml',
        'db_password: hunter2-pw: x\napi_token: tok-4f9a2c\n',
        '1:14',
        'this value contains ": ", which YAML reads as a nested key',
      ],
      [
        'tokens.yaml',
        'db_password: "hunter2\\q"\napi_token: tok-4f9a2c\n',
        '1:22',
        'a "\\" escape in a double-quoted value is not valid',
      ],
    ];
    for (const [name, text, at, wrong] of cases) {
      const run = validate(name, text);
      expect(run.stderr).toBe(
        `${join(scratch, name)}:${at}: this file is not a runbook (none of its top-level keys is a runbook's), and its YAML cannot be read here: ${wrong}; a runbook is a YAML mapping that starts with version: 1 and service: …\n`,
      );
      expect(run.status).toBe(1);
      for (const word of ['hunter2', 'tok-4f9a', 'db_password', 'api_token', 'root:x', 'daemon', 'REDACTED'])
        expect(run.stderr).not.toContain(word);
    }
  });

  it('a runbook with the same mistake is still told what to write', () => {
    const run = validate('shop.yaml', 'version: 1\nservice: shop: x\nsteps: []\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `${join(scratch, 'shop.yaml')}:2:10: this value contains ": ", which YAML reads as a nested key; put the whole value in quotes: "shop: x"\n`,
    );
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

describe('preflight validate and plan on a runbook with terminal control characters', () => {
  it('writes them escaped, so the runbook cannot erase or hide a line of the output', () => {
    const run = validate('escapes.yaml', 'version: "\\e[2K\\rall good"\nservice: x\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('version 1 only; found "\\u001b[2K\\u000dall good"');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain('\r');
  });

  it('writes a file name holding a line break escaped, so each error stays one FILE:LINE:COL line', () => {
    const broken = readFileSync(join(repoRoot, 'tests/fixtures/broken/03-duplicate-key.yaml'), 'utf8');
    const run = validate('evil\nname.yaml', broken);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `${scratch}/evil\\u000aname.yaml:17:5: duplicate key "timeout" (already set on line 16); each key may appear once in a mapping, so remove one of them\n`,
    );
  });

  it('writes the summary of a valid file whose name holds a line break in one line, the name as given', () => {
    const sandbox = readFileSync(join(repoRoot, 'examples/sandbox/runbook.yaml'), 'utf8');
    const run = validate('ok\npasswd.yaml', sandbox);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stdout).toMatch(new RegExp(`^${scratch}/ok\\\\u000apasswd\\.yaml: ok`));
  });

  it('writes a missing file whose name holds a line break in one line too', () => {
    const missing = join(scratch, 'no\nfile.yaml');
    const run = spawnSync(
      join(repoRoot, 'node_modules/.bin/node'),
      [join(repoRoot, 'bin/preflight.js'), 'validate', missing],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NO_COLOR: '1', RUNBOOK: '' },
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${scratch}/no\\u000afile.yaml: no such file or folder\n`);
  });

  it('plan prints a title with them escaped', () => {
    const sandbox = readFileSync(join(repoRoot, 'examples/sandbox/runbook.yaml'), 'utf8');
    const text = sandbox.replace(/^title: .*$/m, 'title: "Toy \\e]0;pwned\\a"');
    const run = preflight('title.yaml', text, 'plan');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Toy \\u001b]0;pwned\\u0007');
    expect(run.stdout).not.toContain('\u0007');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('plan shows a command holding a right-to-left override escaped, so it reads as it runs, not reversed', () => {
    const sandbox = readFileSync(join(repoRoot, 'examples/sandbox/runbook.yaml'), 'utf8');
    // Shown raw, the override makes the tail read "/ fr- mr" backwards after "rollback", as in Trojan Source.
    const text = sandbox.replace(
      'run: node toy.mjs rollback',
      'run: "node toy.mjs rollback \u202e; rm -rf /"',
    );
    const run = preflight('reversed.yaml', text, 'plan');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('node toy.mjs rollback \\u202e; rm -rf /');
    for (const mark of ['\u202a', '\u202e', '\u2066', '\u2069']) expect(run.stdout).not.toContain(mark);
    const named = validate('reversed-name.yaml', 'version: 1\nservice: "to\u2067y"\n');
    expect(named.stderr).toContain('found "to\\u2067y"');
    expect(named.stderr).not.toContain('\u2067');
  });
});
