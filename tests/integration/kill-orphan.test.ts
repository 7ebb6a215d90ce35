import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killOrphan } from '../../src/jobs/processors/kill-orphan.ts';
import { isProcessAlive, readPidFile } from '../helpers/process-alive.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-orphan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('killing the step process of a dead worker', () => {
  it('finds it by its run id when its pid never reached Redis, and kills its children too', async () => {
    const pidFile = join(dir, 'child.pid');
    const step = spawn('bash', ['-c', `sleep 120 & echo $! > ${pidFile}; wait`], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PREFLIGHT_RUN_ID: 'st~svc-9~deploy~migrate~1~r7' },
    });
    step.unref();
    const child = await readPidFile(pidFile);
    expect(await killOrphan(undefined, 'st~svc-9~deploy~migrate~1~r7')).toBe(true);
    expect(isProcessAlive(step.pid ?? 0)).toBe(false);
    await until(() => !isProcessAlive(child));
  });

  it('leaves processes of other runs alone', async () => {
    const other = spawn('sleep', ['30'], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PREFLIGHT_RUN_ID: 'another-run' },
    });
    other.unref();
    await new Promise((r) => setTimeout(r, 100));
    expect(await killOrphan(undefined, 'st~svc-9~deploy~migrate~1~r7')).toBe(true);
    expect(isProcessAlive(other.pid ?? 0)).toBe(true);
    process.kill(other.pid ?? 0, 'SIGKILL');
  });

  it('leaves alone a process that took over the recorded pid of a step that has exited', async () => {
    // The step's pid was recorded; the step exited, and the pid now belongs to another program.
    const other = spawn('sleep', ['30'], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    other.unref();
    const pid = other.pid ?? 0;
    await new Promise((r) => setTimeout(r, 100));
    expect(await killOrphan({ host: hostname(), pid }, 'st~svc-9~deploy~migrate~2~r9')).toBe(true);
    expect(isProcessAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  });
});
