/**
 * A Redis user whose ACL lacks a command Preflight needs at start (a write, a subscription) stops `preflight worker`
 * with one line naming the refusal and how to grant it, exit 1, not "unexpected error" with a stack trace and exit 70.
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
let admin: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

/** `preflight worker` as the ACL user `name` (password `name-pass`), which is given `rules`. */
async function workerAs(name: string, rules: readonly string[]) {
  await admin.call('ACL', 'SETUSER', name, 'on', `>${name}-pass`, '~*', '&*', ...rules);
  return spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      REDIS_URL: `redis://${name}:${name}-pass@127.0.0.1:${server.port}`,
      RUNBOOK: 'examples/sandbox/runbook.yaml',
      PORT: '',
    },
  });
}

describe('a Redis user without a permission Preflight needs', () => {
  it.each([
    ['no-writes', ['+@all', '-set'], 'set'],
    ['no-pubsub', ['+@all', '-@pubsub'], 'subscribe'],
    ['no-scripts', ['+@all', '-@scripting'], 'eval'],
  ])('%s: one line naming the command and how to grant it, exit 1', async (name, rules, command) => {
    const result = await workerAs(name, rules);
    expect(result.stderr).toBe(
      `preflight: the Redis user in REDIS_URL may not run a command Preflight needs (NOPERM this user has no permissions to run the '${command}' command): ` +
        "grant it every command on Preflight's keys, e.g. ACL SETUSER <user> ~{pf}* &* +@all\n",
    );
    expect(result.stderr).not.toContain(`${name}-pass`);
    expect(result.status).toBe(1);
  });
});
