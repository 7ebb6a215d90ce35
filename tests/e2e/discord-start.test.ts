/**
 * `preflight start` with Discord configured but a token Discord refuses, or Discord out of reach: one line saying what
 * to check, exit 1 (as `preflight discord register` and a Redis that refuses).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../helpers/fake-discord.ts';
import { refusedUrl } from '../helpers/fake-monitoring.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { spawnStart } from '../helpers/spawn-start.ts';

let fake: FakeDiscord;
let redis: TestRedis;
let sandbox: SandboxCopy;
beforeAll(async () => {
  fake = await startFakeDiscord();
  redis = await startTestRedis();
  sandbox = await copySandbox();
});
afterAll(async () => {
  await fake?.close();
  await sandbox?.remove();
  await redis?.stop();
});

/** Runs `preflight start` with Discord at `apiUrl` until it ends; its exit code and stderr. */
async function startUntilExit(
  token: string,
  apiUrl: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'start'],
    {
      cwd: sandbox.dir,
      env: {
        ...process.env,
        PORT: '0',
        REDIS_URL: redis.url,
        RUNBOOK: 'runbook.yaml',
        LOG_LEVEL: 'silent',
        DISCORD_TOKEN: token,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_URL: apiUrl,
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
      },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

describe('preflight start with Discord', () => {
  it('stops with one line naming DISCORD_TOKEN when Discord refuses the token', async () => {
    const { code, stderr } = await startUntilExit('not-the-token', fake.apiUrl);
    expect(stderr).toBe(
      'preflight: Discord refused the bot token (An invalid token was provided); check DISCORD_TOKEN\n',
    );
    expect(code).toBe(1);
    expect(fake.world.calls.map((c) => [c.method, c.path, c.status])).toEqual([['GET', '/gateway/bot', 401]]);
  });

  it('stops with exit 1, as preflight discord register does, and what to check when Discord is out of reach', async () => {
    const apiUrl = await refusedUrl();
    const { code, stderr } = await startUntilExit(fake.token, apiUrl);
    expect(stderr).toMatch(
      new RegExp(
        `^preflight: could not connect to Discord at ${apiUrl} \\(DISCORD_API_URL\\): connect ECONNREFUSED [^\\n]*; check that DISCORD_API_URL is right and answers \\(or unset it to use Discord's own\\), then try again\\n$`,
      ),
    );
    expect(code).toBe(1);
  }, 60_000);

  it('ends with one line naming DISCORD_TOKEN when the gateway later refuses the token for good, instead of running deaf', async () => {
    const bot = await spawnStart(
      {
        REDIS_URL: redis.url,
        RUNBOOK: 'runbook.yaml',
        LOG_LEVEL: 'silent',
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_URL: fake.apiUrl,
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
      },
      { cwd: sandbox.dir },
    );
    const exited = new Promise<number | null>((resolve) => bot.child.on('close', resolve));
    // The token was reset in the developer portal: Discord closes the session with 4004 and never takes it back.
    fake.gateway.disconnect(4004, 'Authentication failed.');
    expect(await exited).toBe(1);
    expect(bot.stderr()).toContain(
      'preflight: Discord refused the bot token (gateway close 4004); check DISCORD_TOKEN\n',
    );
  }, 60_000);
});
