/**
 * `preflight plan` shows each rollback step's verification and whether it may run again (idempotent, its retries),
 * as it does for the deployment's steps, in text and in JSON.
 */
import { describe, expect, it } from 'vitest';
import { ANA_LADDER, planOn, SHOP_HEAD } from '../helpers/plan-cli.ts';

const plan = planOn(
  'shop.yaml',
  `${SHOP_HEAD}steps:
  - { id: go, title: Go, run: ./deploy.sh }
rollback:
  steps:
    - { id: revert, run: ./revert.sh, verify: { run: ./is-old.sh }, idempotent: true, retries: 2 }
    - { id: restore-db, run: ./restore.sh }
${ANA_LADDER}`,
);

describe('preflight plan on rollback steps with verify, idempotent and retries', () => {
  it('text: under each rollback step, its verification and whether it is retried', async () => {
    const { stdout } = await plan('--start', '2026-01-07T14:00:00Z');
    const rows = stdout.split('\n');
    const at = rows.findIndex((row) => /1\.\s+revert\s+\.\/revert\.sh$/.test(row));
    expect(at).toBeGreaterThan(-1);
    expect(rows[at + 1]).toMatch(/^\s+verify: \.\/is-old\.sh · idempotent, 2 retries$/);
    const db = rows.findIndex((row) => /2\.\s+restore-db\s+\.\/restore\.sh$/.test(row));
    expect(rows[db + 1]).toMatch(/^\s+not idempotent$/);
  });

  it('json: each rollback step has verify, retries and idempotent', async () => {
    const { stdout } = await plan('--start', '2026-01-07T14:00:00Z', '--json');
    const steps = JSON.parse(stdout).rollback.steps;
    expect(steps[0]).toMatchObject({ verify: { run: './is-old.sh' }, retries: 2, idempotent: true });
    expect(steps[1]).toMatchObject({ retries: 0, idempotent: false });
    expect(steps[1].verify).toBeUndefined();
  });
});
