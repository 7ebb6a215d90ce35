/** A throwaway redis-server per test file: temp dir, free port, fsync on every write so SIGKILL loses nothing. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RedisServer, startRedisServer } from '../../src/infra/embedded-redis.ts';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILL, as a crash would; waits until the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir: the AOF replays. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
}

/** Starts a private redis-server (never the machine's own on 6379). Call in beforeAll. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-redis-'));
  let server: RedisServer | undefined = await startRedisServer({
    dir,
    appendfsync: 'always',
    env: process.env,
  });
  const { port, url } = server;
  return {
    url,
    port,
    dir,
    async kill() {
      if (!server) return;
      server.kill();
      await server.exited;
      server = undefined;
    },
    async restart() {
      if (server) await server.stop();
      server = await startRedisServer({ dir, port, appendfsync: 'always', env: process.env });
    },
    async stop() {
      if (server) await server.stop();
      server = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A random key prefix, so tests in one file never see each other's keys. */
export function createTestPrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`;
}
