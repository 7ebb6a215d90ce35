/** The sandbox's toy service, run for real: its CLI, its process handling and its HTTP answers. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const TOY = join(ROOT, 'examples/sandbox/toy.mjs');

interface ToyResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sandbox toy service', () => {
  let dir = '';
  let base = '';
  let env: NodeJS.ProcessEnv = {};

  const toy = (...args: string[]): Promise<ToyResult> =>
    new Promise((done) => {
      execFile(NODE, [TOY, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout: stdout.trim(), stderr: stderr.trim() });
      });
    });

  const getJson = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.json() };
  };

  const query = async (promql: string) => {
    const { status, body } = await getJson(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    const envelope = body as { status: string; data: { resultType: string; result: Sample[] } };
    expect(status).toBe(200);
    expect(envelope.status).toBe('success');
    expect(envelope.data.resultType).toBe('vector');
    return envelope.data.result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-toy-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      SANDBOX_DIR: dir,
      SANDBOX_PORT: String(port),
    };
  });

  afterAll(async () => {
    await toy('stop');
    const pidFile = join(dir, 'toy.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts once, and a second start finds it running', async () => {
    const first = await toy('start');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^toy: running pid \d+ on http:\/\/127\.0\.0\.1:\d+, version v1\.0\.0 \(started\)$/,
    );
    const again = await toy('start');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\(already running\)$/);
    expect(await toy('status')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/schema 0, healthy$/),
    });
  });

  it('migrates, deploys v1.2.0 and answers healthy with that version', async () => {
    expect(await toy('migrate', 'v1.2.0')).toMatchObject({
      code: 0,
      stdout: 'toy: migrated for v1.2.0 (schema 0 → 1)',
    });
    expect(await toy('deploy', 'v1.2.0')).toMatchObject({
      code: 0,
      stdout: 'toy: deployed v1.2.0 (previous v1.0.0)',
    });
    const check = await toy('check', '--version', 'v1.2.0');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^toy: ok, version v1\.2\.0 \(HTTP 200/);
    expect(await getJson('/health')).toEqual({
      status: 200,
      body: { status: 'ok', version: 'v1.2.0', schema: 1 },
    });
  });

  it('deploys v1.3.0 after a backup, and a check for the old version fails', async () => {
    expect((await toy('backup')).code).toBe(0);
    expect((await toy('migrate', 'v1.3.0')).code).toBe(0);
    expect(await toy('deploy', 'v1.3.0')).toMatchObject({
      code: 0,
      stdout: 'toy: deployed v1.3.0 (previous v1.2.0)',
    });
    const stale = await toy('check', '--version', 'v1.2.0');
    expect(stale).toMatchObject({ code: 1, stderr: 'toy: serving v1.3.0, expected v1.2.0 (HTTP 200)' });
    expect((await query('up'))[0]?.value[1]).toBe('1');
    expect((await query('toy_error_ratio{job="toy"}'))[0]?.value[1]).toBe('0.01');
    expect(await getJson('/api/v2/alerts')).toEqual({ status: 200, body: [] });
  });

  it('breaks: /health 503, up 0, a high error ratio and one critical alert', async () => {
    expect(await toy('break')).toMatchObject({ code: 0, stdout: 'toy: broken: /health answers 503' });
    const health = await getJson('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'failing', version: 'v1.3.0' });
    const check = await toy('check');
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^toy: failing, version v1\.3\.0 \(HTTP 503/);
    expect(await toy('status')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/v1\.3\.0, schema 2, failing$/),
    });

    const [up] = await query('up');
    expect(up?.metric).toMatchObject({ __name__: 'up', job: 'toy' });
    expect(up?.value[1]).toBe('0');
    expect(typeof up?.value[0]).toBe('number');
    expect(Number((await query('toy_error_ratio'))[0]?.value[1])).toBeGreaterThanOrEqual(0.5);
    expect(await query('min(up)')).toEqual([{ metric: {}, value: [expect.any(Number), '0'] }]);

    const { status, body } = await getJson(
      `/api/v2/alerts?filter=${encodeURIComponent('severity="critical"')}`,
    );
    expect(status).toBe(200);
    const alerts = body as Alert[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      labels: { alertname: 'ToyServiceDown', severity: 'critical', service: 'toy' },
      status: { state: 'active' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(Date.parse(alerts[0]?.startsAt ?? '')).not.toBeNaN();
    expect(Date.parse(alerts[0]?.endsAt ?? '')).not.toBeNaN();
    expect((await getJson(`/api/v2/alerts?filter=${encodeURIComponent('severity="warning"')}`)).body).toEqual(
      [],
    );
  });

  it('answers unknown queries with the Prometheus error envelope', async () => {
    expect(await getJson('/api/v1/query?query=nonexistent_metric')).toEqual({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: expect.stringContaining('unknown metric') },
    });
    expect((await getJson('/api/v1/query')).body).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });

  it('rolls back to v1.2.0, healthy, and a second rollback changes nothing', async () => {
    expect(await toy('rollback')).toMatchObject({
      code: 0,
      stdout: 'toy: rolled back to v1.2.0 (from v1.3.0), healthy',
    });
    expect((await toy('check', '--version', 'v1.2.0')).code).toBe(0);
    expect(await getJson('/health')).toEqual({
      status: 200,
      body: { status: 'ok', version: 'v1.2.0', schema: 2 },
    });
    expect((await getJson('/api/v2/alerts')).body).toEqual([]);
    expect(await toy('rollback')).toMatchObject({
      code: 0,
      stdout: 'toy: already rolled back to v1.2.0 (from v1.3.0)',
    });
  });

  it('refuses to run the same migration twice, unless forced', async () => {
    const again = await toy('migrate', 'v1.2.0');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^toy: v1\.2\.0 was already migrated at .* \(schema 1\); refusing to run it twice \(use --force\)$/,
    );
    expect((await toy('restore')).stdout).toMatch(/\(schema 2 → 1\)$/);
    expect(await toy('migrated', 'v1.3.0')).toMatchObject({
      code: 1,
      stderr: 'toy: v1.3.0 has not been migrated (schema 1)',
    });
    expect(await toy('migrate', 'v1.2.0', '--force')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('forced'),
    });
  });

  it('fails an armed release some time after it is deployed', async () => {
    expect((await toy('break', '--version', 'v1.4.0', '--after', '300ms')).code).toBe(0);
    expect((await toy('deploy', 'v1.4.0')).code).toBe(0);
    expect((await getJson('/health')).status).toBe(200);
    await new Promise((done) => setTimeout(done, 400));
    expect((await getJson('/health')).status).toBe(503);
    expect((await toy('heal')).code).toBe(0);
    expect((await getJson('/health')).status).toBe(200);
  });

  it('explains bad input', async () => {
    expect(await toy('deploy', '1.2')).toMatchObject({
      code: 1,
      stderr: 'toy: "1.2" is not a version like v1.3.0 (^v\\d+\\.\\d+\\.\\d+$)',
    });
    expect(await toy('deploy')).toMatchObject({
      code: 2,
      stderr: 'toy: deploy needs a version, e.g. v1.3.0',
    });
    expect((await toy('launch')).stderr).toMatch(/^toy: unknown command "launch"\nusage: /);
  });

  it('stops, and stopping again is fine', async () => {
    const pid = Number(readFileSync(join(dir, 'toy.pid'), 'utf8').trim());
    expect(await toy('stop')).toMatchObject({ code: 0, stdout: `toy: stopped pid ${pid}` });
    expect(existsSync(join(dir, 'toy.pid'))).toBe(false);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(await toy('stop')).toMatchObject({ code: 0, stdout: 'toy: not running' });
    expect(await toy('status')).toMatchObject({
      code: 3,
      stdout: expect.stringMatching(/^toy: stopped, version v1\.4\.0/),
    });
    const down = await toy('check');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^toy: not answering on http:\/\/127\.0\.0\.1:\d+\/health \(ECONNREFUSED\)$/);
  });
});

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

interface Alert {
  readonly labels: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
}
