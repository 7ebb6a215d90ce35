/** What `preflight` writes to stderr when it stops never shows a password or token from the environment. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { useRedisSandbox } from '../helpers/redis-sandbox.ts';
import { SIGNING_SECRET } from '../helpers/signed-slack.ts';

const world = useRedisSandbox();

const start = (env: Record<string, string>) =>
  spawnSync(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
    cwd: world.sandbox.dir,
    encoding: 'utf8',
    timeout: 40_000,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      REDIS_URL: world.redis.url,
      RUNBOOK: 'runbook.yaml',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });

describe('preflight start with a Slack URL holding a proxy password', () => {
  it('refuses SLACK_API_URL in one line before starting, and hides the password', () => {
    const result = start({
      SLACK_BOT_TOKEN: 'xoxb-test-token-1234',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://proxyuser:proxy-pa55word@127.0.0.1:1/api/',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'preflight: SLACK_API_URL must hold no user or password, since Preflight authorizes with its own token; give the URL without them, like https://slack.com/api/ (got "http://…@127.0.0.1:1/api/")\n',
    );
    expect(result.stderr + result.stdout).not.toContain('proxy-pa55word');
  });
});
