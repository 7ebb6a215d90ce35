/**
 * `preflight start`, `console` and `plan` naming a missing runbook whose name holds a line break (RUNBOOK, or the
 * plan's argument): one line, the name escaped as validate writes it, exit 2.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

const NAME = 'missing\nrunbook.yaml';
const SHOWN = 'missing\\u000arunbook.yaml';

const preflight = (args: string[], runbook: string) =>
  execa(join(repoRoot, 'node_modules/.bin/node'), ['bin/preflight.js', ...args], {
    cwd: repoRoot,
    reject: false,
    timeout: 30_000,
    stdin: 'ignore',
    env: { NO_COLOR: '1', RUNBOOK: runbook, REDIS_URL: '', SLACK_BOT_TOKEN: '', DISCORD_BOT_TOKEN: '' },
  });

describe('a missing runbook whose name holds a line break', () => {
  it.each([['start'], ['console', '--as', 'ana']])(
    'preflight %s with RUNBOOK naming it: one line, exit 2',
    async (...args) => {
      const run = await preflight(args, NAME);
      expect(run.stderr).toBe(`preflight: ${SHOWN}: no such file or folder`);
      expect(run.exitCode).toBe(2);
    },
  );

  it('preflight plan naming it: one line, exit 2', async () => {
    const run = await preflight(['plan', NAME], '');
    expect(run.stderr).toBe(`preflight: ${SHOWN}: cannot read the runbook: no such file`);
    expect(run.exitCode).toBe(2);
  });

  it('a plain missing name is written as before', async () => {
    const run = await preflight(['start'], 'no-such-runbook.yaml');
    expect(run.stderr).toBe('preflight: no-such-runbook.yaml: no such file or folder');
    expect(run.exitCode).toBe(2);
  });
});
