/** The terminal chat while its Redis is gone: the person is told, and told again when it is back. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis;
let dir: string;
let running: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'preflight-console-outage-'));
});

afterAll(async () => {
  if (running?.exitCode === null) running.kill('SIGKILL');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A `preflight console` fed line by line, whose output can be waited on. */
function startConsole(): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (text: string, count?: number) => Promise<void>;
} {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    [join(repoRoot, 'bin/preflight.js'), 'console'],
    {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: '1',
        REDIS_URL: redis.url,
        RUNBOOK: join(repoRoot, 'tests/fixtures/valid/minimal.yaml'),
      },
    },
  );
  running = child;
  let stdout = '';
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of [...waiters]) check();
  });
  const waitFor = (text: string, count = 1) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (stdout.split(text).length > count) {
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        }
      };
      waiters.push(check);
      check();
    });
  return { child, output: () => stdout, waitFor };
}

it('says Redis is lost while a typed line waits for it, and says when it is back', async () => {
  const session = startConsole();
  session.child.stdin.write('/deploy help\n');
  await session.waitFor('(only you)');

  await redis.kill();
  await session.waitFor('Preflight lost its Redis');
  expect(session.output()).toContain(
    "✗ Preflight lost its Redis: nothing can be recorded or answered until it is back. What you type waits for it (Ctrl-C drops the line); Preflight's log says why.",
  );
  session.child.stdin.write('/deploy status\n');

  await redis.restart();
  await session.waitFor('Redis is back: Preflight carries on.');
  // The line typed meanwhile is carried out once Redis answers.
  await session.waitFor('(only you)', 2);
  session.child.stdin.end();
  const status = await new Promise<number | null>((resolve) => session.child.on('close', resolve));
  expect(status).toBe(0);
}, 60_000);
