/** `preflight start` with Discord configured but a token Discord refuses: one line saying what to check, exit 2. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, type FakeDiscord, GUILD_ID, startFakeDiscord } from '../helpers/fake-discord.ts';
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

describe('preflight start with Discord', () => {
  it('stops with one line naming DISCORD_TOKEN when Discord refuses the token', async () => {
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
          DISCORD_TOKEN: 'not-the-token',
          DISCORD_APPLICATION_ID: APPLICATION_ID,
          DISCORD_GUILD_ID: GUILD_ID,
          DISCORD_API_URL: fake.apiUrl,
          SLACK_BOT_TOKEN: '',
          SLACK_SIGNING_SECRET: '',
        },
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe(
      'preflight: Discord refused the bot token (An invalid token was provided); check DISCORD_TOKEN\n',
    );
    expect(code).toBe(2);
    expect(fake.world.calls.map((c) => [c.method, c.path, c.status])).toEqual([['GET', '/gateway/bot', 401]]);
  });

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
