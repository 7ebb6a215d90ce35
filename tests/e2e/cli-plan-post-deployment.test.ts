/**
 * `preflight plan` on the Sparkle runbook says when post-deployment monitoring starts as a deployment starts it: once
 * the last step (due 15:45) has finished and health verification passed, not at the window's end (16:00).
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const plan = (...args: string[]) =>
  execa(
    join(repoRoot, 'node_modules/.bin/node'),
    ['bin/preflight.js', 'plan', 'runbook.yaml', '--start', '2026-01-07T14:00:00+08:00', ...args],
    { cwd: repoRoot, timeout: 60_000, env: { NO_COLOR: '1', RUNBOOK: '' } },
  );

describe('preflight plan: when post-deployment starts', () => {
  it('text: from the last step at the earliest, once it has finished; Hour 1 counted from there', async () => {
    const { stdout } = await plan();
    expect(stdout).toContain(
      'Post-deployment, from 15:45 (07:45 UTC) at the earliest: it starts once the last step (production-verification) has finished and any health verification passed; the times below count from then',
    );
    expect(stdout).toMatch(/^ {2}Hour 1: 15:45–16:45 · every 1m/m);
  });

  it('json: the first period starts where the steps end', async () => {
    const { stdout } = await plan('--json');
    const built = JSON.parse(stdout);
    expect(built.monitoring[0].from).toEqual({
      local: '2026-01-07T15:45:00+08:00',
      utc: '2026-01-07T07:45:00Z',
    });
    expect(built.monitoring[0].from).toEqual(built.steps.at(-1).at);
  });
});
