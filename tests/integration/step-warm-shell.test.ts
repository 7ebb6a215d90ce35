/**
 * The step launcher's waiting shell: a `run` step starts in a bash forked before it was asked for, and runs there
 * exactly as in a bash started for it (environment, folder, options, messages, exit codes, timeout, cancel).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepCommand } from '../../src/core/index.ts';
import { createRedactor } from '../../src/core/index.ts';
import { createExecaStepRunner } from '../../src/infra/execa-step-runner.ts';
import { createStepLauncher } from '../../src/infra/step-launcher/step-launcher.ts';
import { spawnStep } from '../../src/infra/step-process.ts';
import { waitUntilGone } from '../helpers/process-alive.ts';

const PATH = '/usr/local/bin:/usr/bin:/bin';
const launcher = createStepLauncher();
const redactor = createRedactor({ secrets: [] });
const viaLauncher = createExecaStepRunner({ redactor, spawn: launcher.spawn });
/** A bash started for the step, from this process: what the waiting shell must be indistinguishable from. */
const fresh = createExecaStepRunner({ redactor, spawn: spawnStep });
launcher.warm();
afterAll(async () => {
  await launcher.close();
  rmSync(folder, { recursive: true, force: true });
});

const folder = mkdtempSync(join(tmpdir(), 'preflight-warm-'));
const command = (run: string, more: Partial<StepCommand> = {}): StepCommand => ({
  run,
  cwd: folder,
  env: {
    PATH,
    HOME: folder,
    LANG: 'C.UTF-8',
    PREFLIGHT_STEP: 'deploy',
    TOKEN: 'it\'s a "value"\nwith $(lines) `x`\nback\\slash\ttab é\x7f',
  },
  timeoutMs: 60_000,
  ...more,
});

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

function isLauncher(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('launcher-child.ts');
  } catch {
    return false;
  }
}

/** The shells waiting in the step launchers (by default this process's), once each launcher has one. */
async function waitingShells(only?: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const launchers = only === undefined ? childrenOf(process.pid).filter(isLauncher) : [only];
    const shells = launchers.map((launcher) => childrenOf(launcher));
    if (launchers.length > 0 && shells.every((s) => s.length === 1)) return shells.flat();
    if (Date.now() > deadline)
      throw new Error(`no shell waits in each step launcher: ${JSON.stringify(shells)}`);
    await sleep(20);
  }
}

async function run(runner: typeof fresh, step: StepCommand, signal = new AbortController().signal) {
  let pid = 0;
  const result = await runner.run(step, { signal, onSpawn: (started) => (pid = started) });
  return { ...result, pid };
}

const DESCRIBE = [
  'env | LC_ALL=C sort',
  'pwd',
  'echo "0=$0 BASH=$BASH -=$- SHLVL=$SHLVL OLDPWD=$([ -v OLDPWD ] && echo set || echo unset) SECONDS=$SECONDS umask=$(umask) args=$#"',
  'set -o | LC_ALL=C sort',
  'shopt | LC_ALL=C sort',
  'cd / && env | grep -c ^OLDPWD=',
].join('\n');

describe('a step run in the shell that waits in the launcher', () => {
  it('runs in the shell that was started before it, with what a bash started for it has', async () => {
    const waiting = await waitingShells();
    await sleep(1_100);
    const warm = await run(viaLauncher, command(`{\n${DESCRIBE}\n} > warm.txt`));
    expect(waiting).toContain(warm.pid);
    const cold = await run(fresh, command(`{\n${DESCRIBE}\n} > fresh.txt`));
    expect([warm.outcome, cold.outcome]).toEqual(['succeeded', 'succeeded']);
    const seen = readFileSync(join(folder, 'warm.txt'), 'utf8');
    expect(seen).toContain(`\nTOKEN=it's a "value"\n`);
    expect(seen).toContain('\nwith $(lines) `x`\n');
    expect(seen).toContain('\nback\\slash\ttab é\x7f\n');
    expect(seen).toContain(`\n${folder}\n`);
    expect(seen).toContain('SECONDS=0');
    expect(seen).toBe(readFileSync(join(folder, 'fresh.txt'), 'utf8'));
    // The descriptor it was told the step on is closed before the script runs.
    const shells = await waitingShells();
    const descriptors = await run(viaLauncher, command('ls "/proc/$$/fd" | LC_ALL=C sort -n | tr "\\n" " "'));
    expect(shells).toContain(descriptors.pid);
    expect(descriptors.outputTail.trim().split(' ')).not.toContain('3');
  });

  it('tells errors, line numbers and exit codes as a bash started for it', async () => {
    const scripts = [
      'echo one\nno_such_command_here\necho never',
      'echo one\nif then fi',
      'exit 7',
      'echo "$UNSET_VARIABLE"',
      'false | true',
      'trap "echo bye" EXIT\necho hi',
      'printf "%s\\n" "$LINENO"\nprintf "%s\\n" "$LINENO"',
    ];
    for (const script of scripts) {
      const waiting = await waitingShells();
      const warm = await run(viaLauncher, command(script));
      expect(waiting, script).toContain(warm.pid);
      const cold = await run(fresh, command(script));
      expect({ outcome: warm.outcome, exitCode: warm.exitCode, out: warm.outputTail }, script).toEqual({
        outcome: cold.outcome,
        exitCode: cold.exitCode,
        // The one difference: bash names a syntax error's source `eval` where a fresh one names it `-c`.
        out: cold.outputTail.replace('bash: -c: line', 'bash: eval: line'),
      });
    }
  });

  it('counts the timeout from the step, not from when the shell started, and stops what a timed-out step started', async () => {
    let waiting = await waitingShells();
    await sleep(1_200);
    const inTime = await run(viaLauncher, command('sleep 0.3; echo done', { timeoutMs: 1_000 }));
    expect(waiting).toContain(inTime.pid);
    expect(inTime.outcome).toBe('succeeded');
    waiting = await waitingShells();
    const slow = await run(
      viaLauncher,
      command('sleep 300 & echo "$!" > child.txt; wait', { timeoutMs: 500 }),
    );
    expect(waiting).toContain(slow.pid);
    expect(slow.outcome).toBe('timed_out');
    const child = Number(readFileSync(join(folder, 'child.txt'), 'utf8'));
    expect(await waitUntilGone(child, 10_000)).toBe(true);
    expect(await waitUntilGone(slow.pid, 10_000)).toBe(true);
  });

  it('stops a canceled step and what it started', async () => {
    const waiting = await waitingShells();
    const stop = new AbortController();
    const running = run(viaLauncher, command('sleep 300 & echo "$!" > canceled.txt; wait'), stop.signal);
    await sleep(500);
    stop.abort(new Error('stopped by the test'));
    const canceled = await running;
    expect(waiting).toContain(canceled.pid);
    expect(canceled.outcome).toBe('canceled');
    expect(await waitUntilGone(Number(readFileSync(join(folder, 'canceled.txt'), 'utf8')), 10_000)).toBe(
      true,
    );
  });

  it('starts anew what a waiting shell could not run as a fresh bash does, and the waiting shell stays for the next', async () => {
    const waiting = await waitingShells();
    const bashEnv = join(folder, 'bash-env.sh');
    writeFileSync(bashEnv, 'echo "read at the start"\n');
    const startup = await run(viaLauncher, command('echo script', { env: { PATH, BASH_ENV: bashEnv } }));
    expect(startup.outputTail).toBe('read at the start\nscript');
    const missing = await run(viaLauncher, command('echo never', { cwd: join(folder, 'no-such-folder') }));
    const missingFresh = await run(fresh, command('echo never', { cwd: join(folder, 'no-such-folder') }));
    expect(missing.outcome).toBe('failed');
    expect(missing.failure).toBe(missingFresh.failure);
    const noBash = await run(viaLauncher, command('true', { env: { PATH: folder } }));
    expect(noBash.failure).toBe(`program "bash" not found on PATH (${folder})`);
    const other = join(folder, 'other-bin');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'bash'), '#!/bin/sh\necho "another bash: $*"\n', { mode: 0o755 });
    const otherBash = await run(viaLauncher, command('echo mine', { env: { PATH: `${other}:${PATH}` } }));
    expect(otherBash.outputTail).toBe('another bash: -euo pipefail -c echo mine');
    const long = await run(viaLauncher, command(`: ${'x'.repeat(5_000)}\necho long`));
    expect(long.outputTail).toBe('long');
    const argv = await run(viaLauncher, {
      argv: ['echo', 'from argv'],
      cwd: folder,
      env: { PATH },
      timeoutMs: 60_000,
    });
    expect(argv.outputTail).toBe('from argv');
    for (const started of [startup, missing, noBash, otherBash, long, argv])
      expect(waiting).not.toContain(started.pid);
    expect(await waitingShells()).toEqual(waiting);
    const next = await run(viaLauncher, command('echo next'));
    expect(waiting).toContain(next.pid);
  });

  it('starts no shell ahead while several steps run, and starts them all from one launcher', async () => {
    const known = childrenOf(process.pid).filter(isLauncher);
    const own = createStepLauncher();
    const runner = createExecaStepRunner({ redactor, spawn: own.spawn });
    own.warm();
    const launchers = async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = childrenOf(process.pid).filter(isLauncher);
        const mine = found.filter((pid) => !known.includes(pid));
        if (mine.length === 2) return mine;
        if (Date.now() > deadline) throw new Error('the two step launchers did not start');
        await sleep(20);
      }
    };
    const mine = await launchers();
    const before = (await Promise.all(mine.map((launcher) => waitingShells(launcher)))).flat();
    const steps: number[] = [];
    const start = (run: string) =>
      runner.run(command(run), { signal: new AbortController().signal, onSpawn: (pid) => steps.push(pid) });
    // Their `ready` may follow the shells by a moment.
    await sleep(300);
    // The first two take the two waiting shells; the second ends soon, leaving its launcher with no step.
    const first = start('sleep 3');
    const short = start('sleep 0.2');
    const long = [first, start('sleep 3'), start('sleep 3')];
    await short;
    await sleep(1_000);
    // No shell was started ahead meanwhile, though a launcher had no step; the steps no waiting shell took started
    // anew, all from the same launcher.
    const children = mine.flatMap((launcher) => childrenOf(launcher));
    expect(children.filter((pid) => !steps.includes(pid) && !before.includes(pid))).toEqual([]);
    const fresh = steps.filter((pid) => !before.includes(pid)).map((pid) => parentOf(pid));
    const running = fresh.filter((parent) => parent !== 0);
    expect(running.length).toBeGreaterThanOrEqual(2);
    expect(new Set(running).size).toBe(1);
    await Promise.all(long);
    // Alone again: each launcher has a shell waiting.
    for (const launcher of mine) expect(await waitingShells(launcher)).toHaveLength(1);
    await own.close();
  });

  it('lets its waiting shell go with the launcher, closed or killed', async () => {
    const own = createStepLauncher();
    const runner = createExecaStepRunner({ redactor, spawn: own.spawn });
    const first = await runner.run(command('echo "$PPID"'), { signal: new AbortController().signal });
    const waiting = await waitingShells(Number(first.outputTail));
    expect(waiting).toHaveLength(1);
    await own.close();
    expect(await waitUntilGone(waiting[0] ?? 0, 10_000)).toBe(true);
    const again = await runner.run(command('echo "$PPID"'), { signal: new AbortController().signal });
    const second = Number(again.outputTail);
    const waitingAgain = await waitingShells(second);
    process.kill(second, 'SIGKILL');
    expect(await waitUntilGone(waitingAgain[0] ?? 0, 10_000)).toBe(true);
    await own.close();
  });
});
