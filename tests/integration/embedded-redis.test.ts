import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_NOT_FOUND, startRedisServer } from '../../src/infra/embedded-redis.ts';

describe('startRedisServer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'preflight-embedded-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a server with AOF on and eviction off, and stops it', async () => {
    const server = await startRedisServer({ dir: join(dir, 'data'), env: process.env });
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.port).not.toBe(6379);
    const redis = new Redis(server.url, { lazyConnect: true });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await redis.config('GET', 'save')).toEqual(['save', '']);
    expect(await redis.config('GET', 'dir')).toEqual(['dir', join(dir, 'data')]);
    redis.disconnect();
    await server.stop();
    await server.exited;
    expect(() => process.kill(server.pid, 0)).toThrow();
  });

  it('says in one line how to get Redis when redis-server is not on PATH', async () => {
    const attempt = startRedisServer({ dir: join(dir, 'none'), env: { PATH: dir } });
    await expect(attempt).rejects.toThrow(REDIS_NOT_FOUND);
    const error = await attempt.then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe(
      'Preflight needs Redis: redis-server was not found on PATH. Install it (apt-get install redis-server, brew install redis) or set REDIS_URL to a Redis you run.',
    );
    expect(error.message).not.toContain('\n');
  });

  it('reports a start-up failure with the server log', async () => {
    const first = await startRedisServer({ dir: join(dir, 'a'), env: process.env });
    try {
      await expect(
        startRedisServer({ dir: join(dir, 'b'), port: first.port, env: process.env }),
      ).rejects.toThrow(
        /redis-server on port \d+ exited during start-up[\s\S]*(Address already in use|bind)/i,
      );
    } finally {
      await first.stop();
    }
  });

  /** Says that the server on `folder` belongs to the process `ownerPid`. */
  const setOwner = (folder: string, ownerPid: number) => {
    const file = join(folder, 'preflight-owner.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ownerPid }));
  };

  it('stops a server left running by a Preflight that is gone before it starts another on the same data', async () => {
    const folder = join(dir, 'left');
    const left = await startRedisServer({ dir: folder, env: process.env });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    setOwner(folder, gone);
    const next = await startRedisServer({ dir: folder, env: process.env });
    try {
      await left.exited;
      expect(() => process.kill(left.pid, 0)).toThrow();
      expect(next.pid).not.toBe(left.pid);
    } finally {
      await next.stop();
    }
  });

  it('refuses a second server on data whose Preflight still runs, naming it', async () => {
    const folder = join(dir, 'busy');
    const first = await startRedisServer({ dir: folder, env: process.env });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      setOwner(folder, other.pid ?? 0);
      await expect(startRedisServer({ dir: folder, env: process.env })).rejects.toThrow(
        `another Preflight (pid ${other.pid}) is using the embedded Redis in ${folder} (port ${first.port})`,
      );
      expect(() => process.kill(first.pid, 0)).not.toThrow();
    } finally {
      other.kill();
      await first.stop();
    }
  });
});
