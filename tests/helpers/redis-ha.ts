/**
 * Replicated Redis for tests, started here from the redis-server binary: a primary + replica + three sentinels,
 * or a Redis Cluster of three primaries with a replica each. Free ports only (a cluster node's bus port is
 * port + 10000, so both must be free).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/**
 * A port that is free, and whose cluster bus port (+10000) is free too. Both lie below the kernel's ephemeral
 * range (32768 and up), where other tests' outgoing connections and port-0 servers could take them at any moment.
 */
export async function findPortPair(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 12_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
  throw new Error('no free port pair found');
}

export interface RedisProcess {
  readonly port: number;
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process holds its connections open but answers nothing until resumed. */
  pause(): void;
  resume(): void;
}

async function answers(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

class LostPort extends Error {}

/** Spawns redis-server with `args` and waits until it answers PING on `port`; its log is kept for the error. */
async function spawnOn(port: number, args: readonly string[]): Promise<RedisProcess> {
  const child: ChildProcess = spawn('redis-server', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null) {
      await exited;
      const message = `redis-server on ${port} exited (${child.exitCode}): ${log.trim().split('\n').slice(-3).join(' | ')}`;
      throw /address already in use/i.test(log) ? new LostPort(message) : new Error(message);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `redis-server on ${port} did not answer in 15 s: ${log.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    pause() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGSTOP');
    },
    resume() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
    },
  };
}

/**
 * Starts redis-server on a free port pair, its arguments made by `argsFor(port)`. Another process can take a
 * port between the check and the bind; then it starts again on another port.
 */
async function spawnRedis(argsFor: (port: number) => Promise<readonly string[]>): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await findPortPair();
    try {
      return await spawnOn(port, await argsFor(port));
    } catch (error) {
      if (!(error instanceof LostPort) || attempt >= 5) throw error;
    }
  }
}

const durable = (dir: string) => [
  ...['--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'],
  ...['--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--logfile', ''],
];

export interface SentinelSet {
  /** REDIS_URL for Preflight. */
  readonly url: string;
  readonly name: string;
  /** The primary's port as the sentinels name it now. */
  primaryPort(): Promise<number>;
  /** The sentinels' ports, in the order REDIS_URL lists them (a client asks the first one first). */
  readonly sentinelPorts: readonly number[];
  /** SIGKILLs the server on `port`. */
  kill(port: number): Promise<void>;
  /** SIGSTOPs the server or sentinel on `port`: it accepts connections but answers nothing until `resume`. */
  pause(port: number): void;
  resume(port: number): void;
  /** Resolves once the sentinels name a primary other than `oldPort`. */
  waitForFailover(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** Primary + replica + three sentinels (quorum 2, down after 1 s). */
export async function startSentinelSet(): Promise<SentinelSet> {
  const root = await mkdtemp(join(tmpdir(), 'preflight-sentinel-'));
  const name = 'preflight';
  const processes = new Map<number, RedisProcess>();
  const server = (extra: readonly string[]) =>
    spawnRedis(async (port) => {
      const dir = join(root, String(port));
      await mkdir(dir);
      return ['--port', String(port), ...durable(dir), ...extra];
    });
  const primary = await server([]);
  const primaryPort = primary.port;
  const replica = await server(['--replicaof', '127.0.0.1', String(primaryPort)]);
  for (const p of [primary, replica]) processes.set(p.port, p);
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const watcher = await spawnRedis(async (port) => {
      const conf = join(root, `sentinel-${port}.conf`);
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${root}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      return [conf, '--sentinel'];
    });
    processes.set(watcher.port, watcher);
    sentinelPorts.push(watcher.port);
  }
  const paused = new Set<number>();
  const askers = new Map<number, Redis>();
  // Asks a sentinel that is not paused (a paused one would never answer).
  const primaryPortNow = async () => {
    const at = sentinelPorts.find((p) => !paused.has(p)) ?? sentinelPorts[0] ?? 0;
    let sentinel = askers.get(at);
    if (sentinel === undefined) {
      sentinel = new Redis({ port: at, host: '127.0.0.1' });
      askers.set(at, sentinel);
    }
    const [, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
    return Number(port);
  };
  // Wait until every sentinel has found the replica and the other sentinels (or a failover cannot happen).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await Promise.all(
      sentinelPorts.map(async (port) => {
        const s = new Redis({ port, host: '127.0.0.1' });
        try {
          const master = (await s.call('SENTINEL', 'master', name)) as string[];
          const field = (k: string) => Number(master[master.indexOf(k) + 1]);
          return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
        } finally {
          s.disconnect();
        }
      }),
    );
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error('the sentinels did not find each other and the replica');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${name}`,
    name,
    sentinelPorts,
    primaryPort: primaryPortNow,
    async kill(port) {
      await processes.get(port)?.kill();
    },
    pause(port) {
      paused.add(port);
      processes.get(port)?.pause();
    },
    resume(port) {
      paused.delete(port);
      processes.get(port)?.resume();
    },
    async waitForFailover(oldPort, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const now = await primaryPortNow();
        if (now !== oldPort) return now;
        if (Date.now() > end) throw new Error('no failover happened');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      for (const sentinel of askers.values()) sentinel.disconnect();
      for (const p of processes.values()) p.resume();
      await Promise.all([...processes.values()].map((p) => p.kill()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface ClusterSet {
  /** REDIS_URL for Preflight. */
  readonly url: string;
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** Three primaries with one replica each, slots assigned by redis-cli; resolves when the cluster state is ok. */
export async function startClusterSet(): Promise<ClusterSet> {
  const root = await mkdtemp(join(tmpdir(), 'preflight-cluster-'));
  const processes: RedisProcess[] = [];
  const ports: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const node = await spawnRedis(async (port) => {
        const dir = join(root, String(port));
        await mkdir(dir);
        const clusterArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')];
        return ['--port', String(port), ...durable(dir), ...clusterArgs, '--cluster-node-timeout', '2000'];
      });
      processes.push(node);
      ports.push(node.port);
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(
        ports.map(async (port) => {
          const client = new Redis({ port, host: '127.0.0.1' });
          try {
            return /cluster_state:ok/.test(String(await client.cluster('INFO')));
          } finally {
            client.disconnect();
          }
        }),
      );
      if (states.every(Boolean)) break;
      if (Date.now() > deadline) throw new Error('the cluster did not reach state ok');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await Promise.all(processes.map((p) => p.kill()));
    throw error;
  }
  return {
    url: `redis+cluster://${ports
      .slice(0, 3)
      .map((p) => `127.0.0.1:${p}`)
      .join(',')}`,
    ports,
    async stop() {
      await Promise.all(processes.map((p) => p.kill()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
