/**
 * `preflight plan` on a runbook whose command holds a password written out (validate warns about it): the real bin
 * shows the command with the password redacted, as text, as JSON and in the file `--out` writes, and the rest of
 * the command stays readable.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');
const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runbook = join(dir, 'shop.yaml');
writeFileSync(
  runbook,
  `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
checklist:
  - { id: users, title: Web users, run: "htpasswd -b /etc/nginx/.htpasswd ops HtS3cretPw && mysql -pMyS3cretPw -e 'select 1'" }
steps:
  - { id: go, title: Go, run: "true" }
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
`,
);

function plan(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', RUNBOOK: '' };
  return new Promise((resolve, reject) => {
    execFile(
      node,
      ['bin/preflight.js', 'plan', runbook, ...args],
      { cwd: repoRoot, encoding: 'utf8', env, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`preflight plan failed: ${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

const SHOWN = `htpasswd -b /etc/nginx/.htpasswd ops [REDACTED] && mysql -p[REDACTED] -e 'select 1'`;

describe('preflight plan on a command with a password written out', () => {
  it('prints the command with its passwords redacted, as text and as JSON', async () => {
    const text = await plan();
    expect(text.stdout).toContain(SHOWN);
    expect(text.stderr).toContain('holds what looks like a credential written out');
    const json = await plan('--json');
    expect(JSON.parse(json.stdout).checklist[0].command.run).toBe(SHOWN);
    for (const out of [text.stdout, text.stderr, json.stdout]) {
      expect(out).not.toContain('HtS3cretPw');
      expect(out).not.toContain('MyS3cretPw');
    }
  });

  it('writes the file --out names with the passwords redacted', async () => {
    const file = join(dir, 'plan.json');
    await plan('--out', file);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain(SHOWN);
    expect(written).not.toContain('S3cretPw');
  });
});
