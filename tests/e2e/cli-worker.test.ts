import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { findFreePort } from '../../src/infra/embedded-redis.ts';
import { repoRoot } from '../helpers/load-runbook.ts';
import { startTestRedis } from '../helpers/redis-server.ts';
import { spawnCliWorker } from '../helpers/spawn-worker.ts';

describe('preflight worker', () => {
  it('needs REDIS_URL, and says why', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: '', RUNBOOK: 'examples/sandbox/runbook.yaml' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'preflight: preflight worker needs REDIS_URL: workers share one Redis with the bot (the embedded Redis serves one process only)\n',
    );
  });

  it('names a bad variable in one line', () => {
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: 'localhost:6379' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'preflight: REDIS_URL must be a URL like redis://host:6379, redis+sentinel://host:26379,host:26379/primary-name' +
        ' or redis+cluster://host:7000,host:7001 (got "localhost:6379")\n',
    );
  });

  it('refuses a missing or invalid runbook in the lines preflight start uses, not with a stack trace', async () => {
    const server = await startTestRedis();
    const dir = await mkdtemp(join(tmpdir(), 'preflight-worker-runbook-'));
    try {
      await writeFile(join(dir, 'runbook.yaml'), 'version: 1\nservice: svc\nsteps: nope\n');
      const run = (runbook: string) =>
        spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, REDIS_URL: server.url, RUNBOOK: runbook },
        });
      const missing = run(join(dir, 'other.yaml'));
      expect(missing.stderr).toBe(`preflight: ${join(dir, 'other.yaml')}: no such file or folder\n`);
      expect(missing.status).toBe(2);
      const invalid = run(join(dir, 'runbook.yaml'));
      const lines = invalid.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('preflight: runbooks are invalid:');
      expect(lines.slice(1, -1).every((line) => line.startsWith(`${join(dir, 'runbook.yaml')}:`))).toBe(true);
      expect(lines.at(-1)).toBe('(run "preflight validate" for details)');
      expect(invalid.status).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await server.stop();
    }
  });

  it('names the Redis it cannot reach, without its password, and exits instead of waiting forever', async () => {
    const port = await findFreePort();
    const result = spawnSync(`${repoRoot}node_modules/.bin/node`, ['bin/preflight.js', 'worker'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        REDIS_URL: `redis://:hunter2-redis-password@127.0.0.1:${port}/0`,
        RUNBOOK: 'examples/sandbox/runbook.yaml',
      },
    });
    expect(result.stderr).toBe(
      `preflight: cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}) within 10 s: start it, or set REDIS_URL to a Redis that runs\n`,
    );
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('hunter2');
  });

  it('warns at start when its Redis could evict or forget deployments, and says which setting to change', async () => {
    const server = await startTestRedis();
    const admin = new Redis(server.url);
    try {
      await admin.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      await admin.call('CONFIG', 'SET', 'appendonly', 'no');
      const worker = await spawnCliWorker(server.url, 'examples/sandbox/runbook.yaml', repoRoot);
      // BullMQ warns as each of its connections comes up, some after the worker says it started.
      await vi.waitFor(() => expect(worker.output()).toContain('Eviction policy'), { timeout: 10_000 });
      await worker.stop();
      const warnings = worker
        .output()
        .split('\n')
        .filter((line) => line.includes('"setting"'))
        .map((line) => JSON.parse(line) as { level: number; setting: string; msg: string });
      expect(warnings.map((w) => [w.setting, w.msg])).toEqual([
        [
          'maxmemory-policy',
          'Redis maxmemory-policy is allkeys-lru: under memory pressure it may delete deployments, approvals and pending pages; set maxmemory-policy noeviction',
        ],
        [
          'appendonly',
          'Redis appendonly is off: a Redis restart loses what Preflight wrote since the last snapshot; set appendonly yes (appendfsync everysec)',
        ],
      ]);
      expect(warnings.every((w) => w.level === 40)).toBe(true);
      // BullMQ's own eviction warning comes as a JSON line too: a log collector meets nothing else.
      const lines = `${worker.output()}${worker.errors()}`.split('\n').filter((line) => line.trim() !== '');
      expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
      const library = lines.filter((line) => line.includes('"from":"library"'));
      expect(library.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
        'IMPORTANT! Eviction policy is allkeys-lru. It should be "noeviction"',
      ]);
    } finally {
      admin.disconnect();
      await server.stop();
    }
  });

  it('tells Slack and Alertmanager pointed at it that it is a worker, and to point them at preflight start', async () => {
    const server = await startTestRedis();
    const port = await findFreePort();
    const worker = await spawnCliWorker(
      server.url,
      'examples/sandbox/runbook.yaml',
      repoRoot,
      20_000,
      undefined,
      {
        PORT: String(port),
      },
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      const slack = [
        await fetch(`${base}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'command=%2Fdeploy&text=status',
        }),
        await fetch(`${base}/slack/events`),
      ];
      for (const answer of slack) {
        expect(answer.status).toBe(404);
        expect(await answer.json()).toEqual({
          error:
            "This is a preflight worker: it runs steps, checks and timers, and takes no requests from Slack. Point the Slack app's Request URLs (Slash Commands, Event Subscriptions, Interactivity) at POST /slack/events of preflight start, the process that runs the chat",
        });
      }
      const alerts = await fetch(`${base}/webhooks/alertmanager`, { method: 'POST', body: '{}' });
      expect(alerts.status).toBe(404);
      expect(await alerts.json()).toEqual({
        error:
          "This is a preflight worker: it runs steps, checks and timers, and takes no requests from Alertmanager. Point the url of Alertmanager's webhook_configs entry at POST /webhooks/alertmanager of preflight start (Alertmanager does not retry this answer, so these alerts are lost)",
      });
      // Whoever reads the worker's log, not the caller, sees it too: once per path, not once per request.
      await vi.waitFor(() => expect(worker.output()).toContain('"path":"/webhooks/alertmanager"'));
      const said = worker
        .output()
        .split('\n')
        .filter((line) => line.includes('"path":"/slack/events"'));
      expect(said).toHaveLength(1);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      await worker.stop();
      await server.stop();
    }
  });

  it('stops on SIGTERM even when its Redis has gone, saying why, instead of waiting for a SIGKILL', async () => {
    const server = await startTestRedis();
    try {
      const worker = await spawnCliWorker(server.url, 'examples/sandbox/runbook.yaml', repoRoot);
      await server.kill();
      worker.child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('still running 30 s after SIGTERM')), 30_000);
        worker.child.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(code).toBe(1);
      // Whoever ran it sees why it ended with 1 on stderr, as every command's last word.
      expect(worker.errors()).toBe(
        'preflight: Redis was unreachable for 10 s while stopping, so the running jobs could not record their results: stopped without them; the next worker finds any step cut short, as after a crash\n',
      );
      const said = worker
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(said).toEqual([
        'lost the connection to Redis; reconnecting (work waits for it)',
        'Redis is unreachable, so running jobs cannot record their results: stopping now; the next worker finds any step cut short, as after a crash',
      ]);
      // Each queue and worker says it once, not at every reconnect attempt over those 10 s.
      const repeats = worker
        .output()
        .split('\n')
        .filter((line) => /"msg":"(queue|worker) error"/.test(line));
      const sources = repeats.map((line) => {
        const { msg, queue } = JSON.parse(line) as { msg: string; queue?: string };
        return `${msg} ${queue}`;
      });
      expect(new Set(sources).size).toBe(sources.length);
    } finally {
      await server.stop();
    }
  }, 45_000);
});
