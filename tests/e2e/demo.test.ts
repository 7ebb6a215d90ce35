import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';

describe('npm run demo', () => {
  it('tells the whole story and exits 0', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'demo'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', REDIS_URL: '' },
      timeout: 110_000,
    });
    const out = result.stdout;
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status, `${out.slice(-3000)}\n${result.stderr}`).toBe(0);
    for (const line of [
      'Starting toy-1: toy v1.2.0 → production',
      'Security sign-off gate: 0 of 1 approvals',
      '@alice you requested this deployment, so your ✅ does not count for the Operations sign-off gate',
      '@erin only Dave Diaz (Security) can approve the Security sign-off gate; your ✅ was not counted',
      'Deployment authorized at',
      'Step 2 Run the schema migration succeeded',
      'Report toy v1.3.0 → production (toy-2): being monitored',
      'INC-1 toy production:',
      'L1 On-call DevOps paged for INC-1: @alice @bob',
      'L2 Team lead paged for INC-1: @carol',
      'INC-1 acknowledged by Carol Chen (Team lead); paging stopped.',
      'toy-2: rolling back toy to v1.2.0.',
      'Report toy v1.3.0 → production (toy-2): rolled back',
      'Outcome: rolled back to v1.2.0',
      'Demo finished in',
    ]) {
      expect(out).toContain(line);
    }
  }, 120_000);
});
