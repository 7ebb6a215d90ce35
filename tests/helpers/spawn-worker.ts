/** Spawns worker processes (Node 24 from node_modules) for crash and scale-out tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = `${root}node_modules/.bin/node`;

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed on stdout so far (its JSON log lines). */
  output(): string;
  /** Everything it printed on stderr so far. */
  errors(): string;
  /** SIGKILL, as a crash would; resolves when it is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a worker with short lock times and the given key prefix, and waits until it is ready. `monitoring`: the
 * PROMETHEUS_URL, ALERTMANAGER_URL and PagerDuty settings it is given (none by default; PAGER_TIMEOUT_MS: how long
 * a try to reach PagerDuty waits for its answer).
 */
export async function spawnWorker(
  redisUrl: string,
  runbook: string,
  prefix: string,
  cwd: string,
  monitoring: {
    readonly PROMETHEUS_URL?: string;
    readonly ALERTMANAGER_URL?: string;
    readonly PAGERDUTY_ROUTING_KEY?: string;
    readonly PAGERDUTY_EVENTS_URL?: string;
    readonly PAGER_TIMEOUT_MS?: string;
  } = {},
): Promise<WorkerProcess> {
  const child = spawn(node, [`${root}tests/helpers/worker-process.ts`, redisUrl, runbook, prefix], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...monitoring },
  });
  return watch(child, 'ready');
}

/** Starts the real `preflight worker` (default key prefix and timings) and waits until it says it started. */
export async function spawnCliWorker(
  redisUrl: string,
  runbook: string,
  cwd: string,
  readyTimeoutMs = 20_000,
  onSpawn?: (child: ChildProcess) => void,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(node, [`${root}bin/preflight.js`, 'worker'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REDIS_URL: redisUrl, RUNBOOK: runbook, LOG_LEVEL: 'info', ...env },
  });
  onSpawn?.(child);
  return watch(child, 'preflight worker started', readyTimeoutMs);
}

async function watch(
  child: ChildProcess,
  readyText: string,
  readyTimeoutMs = 20_000,
): Promise<WorkerProcess> {
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running: a worker that never said it started is killed before the caller tries again.
      child.kill('SIGKILL');
      reject(new Error(`worker did not start within ${readyTimeoutMs} ms: ${stderr || stdout.slice(-500)}`));
    }, readyTimeoutMs);
    child.stdout?.on('data', () => {
      if (stdout.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid ?? 0,
    output: () => stdout,
    errors: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
