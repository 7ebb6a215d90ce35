/**
 * The step launcher process: steps keep running as the worker's steps do, and neither side's death leaves a step
 * running with nobody to report it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/core/index.ts';
import { createExecaStepRunner } from '../../src/infra/execa-step-runner.ts';
import { createStepLauncher } from '../../src/infra/step-launcher/step-launcher.ts';
import { StepProcessLost } from '../../src/infra/step-process.ts';
import { isProcessAlive, waitUntilGone } from '../helpers/process-alive.ts';

const PATH = '/usr/local/bin:/usr/bin:/bin';
const launcher = createStepLauncher();
const runner = createExecaStepRunner({ redactor: createRedactor({ secrets: [] }), spawn: launcher.spawn });
afterAll(() => launcher.close());

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

const command = (run: string) => ({ run, cwd: '/', env: { PATH }, timeoutMs: 60_000 });

describe('the step launcher', () => {
  it('starts steps from a process of its own, not from the worker', async () => {
    const pids: number[] = [];
    const result = await runner.run(command('echo "$PPID"'), {
      signal: new AbortController().signal,
      onSpawn: (pid) => pids.push(pid),
    });
    expect(result.outcome).toBe('succeeded');
    const launcherPid = Number(result.outputTail);
    expect(launcherPid).toBeGreaterThan(0);
    expect(launcherPid).not.toBe(process.pid);
    expect(pids).toHaveLength(1);
  });

  it('reports a step whose launcher died as lost (not as its own failure), stops it, and starts the next step with a new launcher', async () => {
    let stepPid = 0;
    const running = runner.run(command('sleep 300'), {
      signal: new AbortController().signal,
      onSpawn: (pid) => {
        stepPid = pid;
      },
    });
    while (stepPid === 0) await sleep(10);
    const launcherPid = parentOf(stepPid);
    process.kill(launcherPid, 'SIGKILL');
    await expect(running).rejects.toThrow(
      new StepProcessLost(
        "Preflight's step launcher process was killed by SIGKILL while the step ran; the step was stopped",
      ),
    );
    expect(await waitUntilGone(stepPid, 10_000)).toBe(true);
    const next = await runner.run(command('echo "$PPID"'), { signal: new AbortController().signal });
    expect(next.outcome).toBe('succeeded');
    expect(Number(next.outputTail)).not.toBe(launcherPid);
  });

  it('can be started before the first step, and close() stops it', async () => {
    const early = createStepLauncher();
    const launchers = () =>
      readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            return (
              readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('launcher-child.ts') &&
              parentOf(Number(pid)) === process.pid
            );
          } catch {
            return false;
          }
        });
    const before = launchers();
    early.warm();
    let started: string[] = [];
    for (let i = 0; i < 100 && started.length < 2; i++) {
      started = launchers().filter((pid) => !before.includes(pid));
      await sleep(20);
    }
    // Two: each starts its next shell while the other runs a step.
    expect(started).toHaveLength(2);
    await early.close();
    for (const pid of started) expect(await waitUntilGone(Number(pid), 10_000)).toBe(true);
  });

  it('stops its steps and exits when its worker is killed', async () => {
    const host = execa(
      process.execPath,
      [fileURLToPath(new URL('../helpers/launcher-host.ts', import.meta.url))],
      {
        reject: false,
      },
    );
    const line = await new Promise<string>((resolve) => {
      host.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    });
    const { step, launcher: launcherPid } = JSON.parse(line) as { step: number; launcher: number };
    expect(isProcessAlive(step)).toBe(true);
    host.kill('SIGKILL');
    await host;
    expect(await waitUntilGone(step, 10_000)).toBe(true);
    expect(await waitUntilGone(launcherPid, 10_000)).toBe(true);
  });
});
