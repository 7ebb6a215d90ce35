/** `preflight plan` through the real bin, on a runbook written to a folder of its own for one test file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll } from 'vitest';
import { repoRoot } from './load-runbook.ts';

/** The lines most plan tests' runbooks start with: one service, one person who may deploy and roll back. */
export const SHOP_HEAD = `version: 1
service: shop
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#d", incident: "#i" }
people: { ana: { name: Ana, slack: U1 } }
permissions: { deploy: [ana], rollback: [ana] }
`;

/** The one-level ladder most plan tests' runbooks end with. */
export const ANA_LADDER = 'escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }\n';

/**
 * Writes `text` as `fileName` in a new folder (removed after the file's tests) and answers a function that runs
 * `preflight plan <that file> …args`, without colour and without a RUNBOOK from the environment.
 */
export function planOn(fileName: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, fileName);
  writeFileSync(file, text);
  return (...args: string[]) =>
    execa(join(repoRoot, 'node_modules/.bin/node'), ['bin/preflight.js', 'plan', file, ...args], {
      cwd: repoRoot,
      timeout: 60_000,
      env: { NO_COLOR: '1', RUNBOOK: '' },
    });
}
