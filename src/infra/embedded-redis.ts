/** An embedded Redis: the `redis-server` on PATH, on a free loopback port, for when REDIS_URL is unset. */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { claimDataFolder, forgetOwner, recordOwner } from './embedded-redis-owner.ts';
import { StartupError } from './startup-error.ts';

/** Where Preflight keeps the embedded Redis's data, relative to its working directory. */
export const EMBEDDED_REDIS_DIR = '.preflight/redis';

export const REDIS_NOT_FOUND =
  'Preflight needs Redis: redis-server was not found on PATH. Install it (apt-get install redis-server, brew install redis) or set REDIS_URL to a Redis you run.';

export interface RedisServerOptions {
  readonly dir: string;
  readonly port?: number;
  readonly appendfsync?: 'everysec' | 'always';
  /** The environment redis-server is found and run with (its PATH is searched). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Settles when the process has exited, however it ended. */
  readonly exited: Promise<void>;
  /** Graceful: SIGTERM (Redis flushes the AOF), then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): void;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 4_000;

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** A port nobody listens on right now: bind port 0, read the port, close. */
export async function findFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** True when the server on the port answers PING and is our process (not another one holding the port). */
function answers(port: number, pid: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n') && !reply.startsWith('+PONG')) return done(false);
      const found = /process_id:(\d+)\r\n/.exec(reply);
      if (found) done(Number(found[1]) === pid);
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server with AOF on and eviction off; resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const env = options.env;
  const program = findOnPath('redis-server', env);
  if (program === undefined) throw new StartupError(REDIS_NOT_FOUND);
  mkdirSync(options.dir, { recursive: true });
  await claimDataFolder(options.dir);
  const port = options.port ?? (await findFreePort());
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir],
    ...['--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--save', ''],
    ...['--maxmemory-policy', 'noeviction', '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', ''],
  ];
  // Its own process group: a Ctrl-C at the terminal reaches Preflight only, which finishes its jobs and then
  // stops this server itself (or kills it on exit).
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // Never leave an orphaned server behind when this process exits without stopping it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const fail = async (reason: string): Promise<never> => {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    await waitForExit(child);
    const detail = log.trim() === '' ? '' : `\n${log.trim()}`;
    throw new StartupError(`redis-server on port ${port} ${reason}${detail}`);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== undefined) {
      const code = (spawnError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        process.removeListener('exit', killOnExit);
        throw new StartupError(REDIS_NOT_FOUND);
      }
      return await fail(`could not start: ${spawnError.message}`);
    }
    if (child.exitCode !== null || child.signalCode !== null)
      return await fail(`exited during start-up (${child.exitCode ?? child.signalCode})`);
    if (await answers(port, child.pid)) break;
    if (Date.now() > deadline) return await fail(`did not answer PING within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const pid = child.pid ?? 0;
  recordOwner(options.dir, pid, port);
  const exited = waitForExit(child).then(() => forgetOwner(options.dir));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    exited,
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGKILL');
    },
  };
}
