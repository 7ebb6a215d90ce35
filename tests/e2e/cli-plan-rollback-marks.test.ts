/**
 * `preflight plan` marks a rollback step whose failure does not fail the rollback, and one the rollback asks a person
 * about before it runs, in text and in JSON.
 */
import { describe, expect, it } from 'vitest';
import { ANA_LADDER, planOn, SHOP_HEAD } from '../helpers/plan-cli.ts';

const plan = planOn(
  'shop.yaml',
  `${SHOP_HEAD}steps:
  - { id: go, title: Go, run: ./deploy.sh }
rollback:
  steps:
    - { id: revert, run: ./revert.sh }
    - { id: purge-cache, run: ./purge-cache.sh, optional: true }
    - { id: restore-db, title: Restore the database, run: ./restore.sh, confirm: true }
    - { id: warm-up, run: ./warm.sh, confirm: true, optional: true }
${ANA_LADDER}`,
);

describe('preflight plan on a rollback with optional and ask-first steps', () => {
  it('text: a title before its command; the optional and ask-first steps say so, the others do not', async () => {
    const { stdout } = await plan('--start', '2026-01-07T14:00:00Z');
    const rows = stdout.split('\n');
    const purge = rows.find((row) => row.includes('purge-cache'));
    const revert = rows.find((row) => row.includes('revert'));
    expect(purge).toMatch(
      /purge-cache\s+\.\/purge-cache\.sh \[optional: its failure does not fail the rollback\]$/,
    );
    expect(revert).not.toContain('optional');
    expect(revert).not.toContain('asks first');
    expect(purge).not.toContain('asks first');
    expect(rows.find((row) => row.includes('restore-db'))).toMatch(
      /restore-db\s+Restore the database: \.\/restore\.sh \[asks first: a person chooses to run or skip it\]$/,
    );
    expect(rows.find((row) => row.includes('warm-up'))).toMatch(
      /warm-up\s+\.\/warm\.sh \[asks first: a person chooses to run or skip it\] \[optional: its failure does not fail the rollback\]$/,
    );
  });

  it('JSON: optional: true and confirm: true on those steps only', async () => {
    const { stdout } = await plan('--json', '--start', '2026-01-07T14:00:00Z');
    const steps = JSON.parse(stdout).rollback.steps as {
      id: string;
      optional?: boolean;
      confirm?: boolean;
    }[];
    expect(steps.map((s) => [s.id, s.optional, s.confirm])).toEqual([
      ['revert', undefined, undefined],
      ['purge-cache', true, undefined],
      ['restore-db', undefined, true],
      ['warm-up', true, true],
    ]);
  });
});
