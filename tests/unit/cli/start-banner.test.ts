import { describe, expect, it } from 'vitest';
import { terminalBanner, unsetRequiredEnv } from '../../../src/cli/start-banner.ts';
import type { Runbook } from '../../../src/core/index.ts';

describe('the terminal chat banner of preflight start', () => {
  it('names the HTTP port and the required variables left unset', () => {
    const runbooks = [
      { service: 'sparkle', requires: { env: ['DATABASE_URL', 'JWT_SECRET', 'LLM_API_KEY'] } },
      { service: 'toy' },
    ] as unknown as Runbook[];
    const unset = unsetRequiredEnv(runbooks, { DATABASE_URL: 'postgres://x', LLM_API_KEY: '' });
    expect(terminalBanner('alice', 3000, unset)).toBe(
      'Preflight is running; you type as @alice. HTTP on port 3000 (/healthz, /readyz, /metrics, POST /webhooks/alertmanager). Unset variables the runbooks require (deployments will be refused until they are set): sparkle: JWT_SECRET, LLM_API_KEY. Type "help" for the grammar, Ctrl-C to drop a line, Ctrl-D to stop.',
    );
  });
});
