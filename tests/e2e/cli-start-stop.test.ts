/** `preflight start` with its embedded Redis, as run from a terminal: no redis-server, and Ctrl-C. */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_NOT_FOUND } from '../../src/infra/embedded-redis.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
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
    const log = () => readFile(join(sandbox.dir, '.preflight/logs/preflight.log'), 'utf8');
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
