/** `preflight start` with its embedded Redis, as run from a terminal: no redis-server, and Ctrl-C. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_NOT_FOUND } from '../../src/infra/embedded-redis.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis } from '../helpers/redis-server.ts';
import { copySandbox, type SandboxCopy } from '../helpers/sandbox-copy.ts';
import { type RunningBot, spawnStart } from '../helpers/spawn-start.ts';

let sandbox: SandboxCopy;
/** A bot still running after a failed test is stopped in afterAll. */
let bot: RunningBot | undefined;
beforeAll(async () => {
  sandbox = await copySandbox();
});
afterAll(async () => {
  if (bot?.child.exitCode === null) {
    bot.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The second signal stops it at once; its exit handler still stops its Redis.
    bot.child.kill('SIGTERM');
  }
  await sandbox?.remove();
});

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('preflight start with the embedded Redis', () => {
  it('says in one line what to install when redis-server is missing', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
      cwd: sandbox.dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: join(sandbox.dir, 'no-such-bin'), REDIS_URL: '', RUNBOOK: 'runbook.yaml' },
    });
    expect(result.stderr).toBe(`preflight: ${REDIS_NOT_FOUND}\n`);
    expect(result.status).toBe(1);
  });

  it('stops gracefully on a Ctrl-C to its whole process group, then stops its Redis', async () => {
    const running = await spawnStart(
      { REDIS_URL: '', RUNBOOK: join(sandbox.dir, 'runbook.yaml'), LOG_LEVEL: 'info' },
      { cwd: sandbox.dir, detached: true },
    );
    bot = running;
    const exited = new Promise<number | null>((resolve) =>
      running.child.once('exit', (code) => resolve(code)),
    );
    const log = async () => running.stdout();
    const started = (await log())
      .split('\n')
      .filter((line) => line.includes('started embedded Redis'))
      .map((line) => JSON.parse(line) as { port: number });
    const port = started.at(-1)?.port ?? 0;
    expect(await answers(port)).toBe(true);

    // What a terminal does on Ctrl-C: SIGINT to every process in the foreground group.
    process.kill(-(running.child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(await log()).toContain('shutting down: finishing running jobs');
    expect(await answers(port)).toBe(false);
  });
});

describe('preflight start with no chat configured and no terminal (a container)', () => {
  it('says at once, in one line, what to set, serves HTTP, and writes no log file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pf-nochat-'));
    const runbook = join(folder, 'runbook.yaml');
    await writeFile(
      runbook,
      (await readFile(join(sandbox.dir, 'runbook.yaml'), 'utf8')).replace(
        /^steps:/m,
        'requires: { env: [TOY_TOKEN, TOY_DB] }\nsteps:',
      ),
    );
    const redis = await startTestRedis();
    const running = await spawnStart(
      { REDIS_URL: redis.url, RUNBOOK: runbook, LOG_LEVEL: 'info', TOY_DB: 'set' },
      { cwd: folder },
    );
    try {
      const port = new URL(running.base).port;
      await waitUntil(() => running.stderr().includes('\n'));
      expect(running.stderr()).toBe(
        `preflight: no chat configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack calls POST /slack/events), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or DISCORD_TOKEN and DISCORD_APPLICATION_ID, or run "preflight console" in a terminal. Serving HTTP on port ${port} meanwhile (/healthz, /readyz, /metrics, POST /webhooks/alertmanager). Unset variables the runbooks require (deployments will be refused until they are set): toy: TOY_TOKEN.\n`,
      );
      expect((await fetch(`${running.base}/healthz`)).status).toBe(200);
      expect(running.stdout()).toContain('"msg":"preflight started"');
      expect(existsSync(join(folder, '.preflight'))).toBe(false);
    } finally {
      await running.stop();
      await redis.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('preflight start with a Redis that runs but refuses it', () => {
  it('stops in one line on a database the server does not have, and writes nothing to database 0', async () => {
    const redis = await startTestRedis();
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'requirepass', 'goodpass');
      await admin.auth('goodpass');
      const run = (url: string) =>
        spawnSync(`${repoRoot}node_modules/.bin/node`, [`${repoRoot}bin/preflight.js`, 'start'], {
          cwd: sandbox.dir,
          encoding: 'utf8',
          timeout: 40_000,
          killSignal: 'SIGKILL',
          env: { ...process.env, REDIS_URL: url, RUNBOOK: 'runbook.yaml', PORT: '0' },
        });
      const result = run(`redis://:goodpass@127.0.0.1:${redis.port}/99`);
      expect(result.stderr).toBe(
        `preflight: REDIS_URL names database 99, which the Redis at redis://127.0.0.1:${redis.port}/99 does not have ` +
          '(ERR DB index is out of range): use a lower number (0–15 on a default Redis) or raise "databases" in its configuration\n',
      );
      expect(result.status).toBe(1);
      expect(result.stdout).not.toContain('preflight started');
      expect(await admin.dbsize()).toBe(0);
      const refused = run(`redis://:hunter2@127.0.0.1:${redis.port}`);
      expect(refused.stderr).toMatch(/^preflight: Redis refused the password in REDIS_URL \(.*\n$/);
      expect(refused.stderr).not.toContain('hunter2');
      expect(refused.status).toBe(1);
      // What to do reaches the terminal whole: no word of it is taken for the password it talks of.
      const none = run(`redis://127.0.0.1:${redis.port}`);
      expect(none.stderr).toBe(
        `preflight: Redis asks for a password and REDIS_URL gives none; add it to REDIS_URL, after a colon behind redis:// and before an @ in front of the host, for redis://127.0.0.1:${redis.port}\n`,
      );
      expect(none.status).toBe(1);
      const broken = run(`redis://:good%zzpass@127.0.0.1:${redis.port}`);
      expect(broken.stderr).toBe(
        `preflight: REDIS_URL has a broken %-escape in its password; write % as %25 (and @ as %40, : as %3A, / as %2F) (got "redis://…@127.0.0.1:${redis.port}")\n`,
      );
      expect(broken.status).toBe(2);
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  });
});

async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
}
