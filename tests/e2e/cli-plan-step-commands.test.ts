/** `preflight plan` shows what each step runs and how it is verified, as --json has them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-step-commands-'));
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
steps:
  - { id: migrate, title: Database migration, run: cd backend && alembic upgrade head, verify: cd backend && alembic current }
  - id: start-infra
    title: Start infrastructure
    run: |
      docker compose up -d redis
      docker compose up -d postgres
escalation: { levels: [{ id: L1, notify: [ana], respond_within: 15m }] }
`,
);

const plan = (...args: string[]) =>
  execa(join(repoRoot, 'node_modules/.bin/node'), ['bin/preflight.js', 'plan', runbook, ...args], {
    cwd: repoRoot,
    timeout: 60_000,
    env: { NO_COLOR: '1', RUNBOOK: '' },
  });

describe('preflight plan: what each step runs', () => {
  it('text: the command under each step, with its verification', async () => {
    const { stdout } = await plan('--start', '2026-01-07T14:00:00Z');
    const lines = stdout.split('\n').map((l) => l.trim());
    const at = (id: string) => lines.findIndex((l) => new RegExp(`\\s${id}\\s`).test(l));
    expect(lines[at('migrate') + 1]).toBe(
      'run: cd backend && alembic upgrade head · verify: cd backend && alembic current',
    );
    expect(lines[at('start-infra') + 1]).toBe('run: docker compose up -d redis (+1 more line)');
    const json = JSON.parse((await plan('--json', '--start', '2026-01-07T14:00:00Z')).stdout);
    expect(json.steps[0].command.run).toBe('cd backend && alembic upgrade head');
    expect(json.steps[0].verify).toEqual({ run: 'cd backend && alembic current' });
  });
});
