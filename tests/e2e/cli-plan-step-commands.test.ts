/** `preflight plan` shows what each step runs and how it is verified, as --json has them. */
import { describe, expect, it } from 'vitest';
import { ANA_LADDER, planOn, SHOP_HEAD } from '../helpers/plan-cli.ts';

const plan = planOn(
  'shop.yaml',
  `${SHOP_HEAD}steps:
  - { id: migrate, title: Database migration, run: cd backend && alembic upgrade head, verify: cd backend && alembic current }
  - id: start-infra
    title: Start infrastructure
    run: |
      docker compose up -d redis
      docker compose up -d postgres
${ANA_LADDER}`,
);

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
