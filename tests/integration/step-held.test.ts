/**
 * Held starts: a step's process forked while the commit that starts the step is written, running its script only
 * once the run asks for it. The script must see what it would have seen started the usual way, and a held
 * process whose run never comes must never run anything.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/core/index.ts';
import { createExecaStepRunner } from '../../src/infra/execa-step-runner.ts';
import { createStepLauncher } from '../../src/infra/step-launcher/step-launcher.ts';

const PATH = '/usr/local/bin:/usr/bin:/bin';
const launcher = createStepLauncher();
launcher.warm();
const runner = createExecaStepRunner({
  redactor: createRedactor({ secrets: [] }),
  spawn: launcher.spawn,
  held: launcher,
});
afterAll(() => launcher.close());

const dir = mkdtempSync(join(tmpdir(), 'preflight-held-'));
const command = (run: string, timeoutMs = 60_000) => ({ run, cwd: dir, env: { PATH }, timeoutMs });
const run = (cmd: ReturnType<typeof command>, key?: string, signal = new AbortController().signal) =>
  runner.run(cmd, { signal, ...(key !== undefined && { key }) });

/** The pids of live processes whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(what: string, read: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const heldProcess = (marker: string) =>
  until(`the held process of ${marker}`, () => processesWith(marker)[0]);

describe('a step process held before its script', () => {
  it('runs its script only when the run asks for it, in the process started ahead', async () => {
    const marker = 'held-runs-on-release';
    const cmd = command(`touch ran; echo "$$ ${marker}"`);
    runner.hold?.(cmd, 'run-1');
    const early = await heldProcess(marker);
    await sleep(300);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    const result = await run(cmd, 'run-1');
    expect(result.outcome).toBe('succeeded');
    expect(result.outputTail).toBe(`${early} ${marker}`);
    expect(existsSync(join(dir, 'ran'))).toBe(true);
  });

  it('gives the script the same line numbers, stdin and descriptors as a step started the usual way', async () => {
    const script =
      'echo "line $LINENO"\ncat\n[ -t 0 ] || echo "no terminal"\nls /proc/$$/fd | sort -n | tr "\\n" " "';
    const usual = await run(command(script));
    runner.hold?.(command(script), 'run-2');
    await sleep(200);
    const held = await run(command(script), 'run-2');
    expect(usual.outcome).toBe('succeeded');
    expect(held).toMatchObject({ outcome: 'succeeded', outputTail: usual.outputTail });
    expect(held.outputTail).toContain('line 1');
  });

  it('never runs the script of a run that does not come (its commit was refused), and leaves no process', async () => {
    const marker = 'held-discarded';
    runner.hold?.(command(`touch discarded; : ${marker}`), 'run-3');
    const pid = await heldProcess(marker);
    runner.discard?.('run-3');
    await until('the held process to go', () => (processesWith(marker).includes(pid) ? undefined : true));
    await sleep(200);
    expect(existsSync(join(dir, 'discarded'))).toBe(false);
  });

  it('runs the command the run asks for when it differs from the one held, and never the held one', async () => {
    const marker = 'held-other-command';
    runner.hold?.(command(`touch stale; : ${marker}`), 'run-4');
    await heldProcess(marker);
    const result = await run(command('echo fresh'), 'run-4');
    expect(result).toMatchObject({ outcome: 'succeeded', outputTail: 'fresh' });
    await until('the held process to go', () => (processesWith(marker).length === 0 ? true : undefined));
    expect(existsSync(join(dir, 'stale'))).toBe(false);
  });

  it('counts the timeout from the run, not from the hold', async () => {
    const cmd = command('sleep 1; echo done', 2_000);
    runner.hold?.(cmd, 'run-5');
    await sleep(1_500);
    const result = await run(cmd, 'run-5');
    expect(result).toMatchObject({ outcome: 'succeeded', outputTail: 'done' });
    const slow = command('sleep 5', 500);
    runner.hold?.(slow, 'run-6');
    expect((await run(slow, 'run-6')).outcome).toBe('timed_out');
  });

  it('is stopped by its run being canceled', async () => {
    const cmd = command('sleep 30');
    runner.hold?.(cmd, 'run-7');
    const controller = new AbortController();
    const running = run(cmd, 'run-7', controller.signal);
    await sleep(300);
    controller.abort(new Error('the deployment was stopped'));
    expect((await running).outcome).toBe('canceled');
  });

  it('shows the error of a script bash cannot parse, as a step started the usual way does', async () => {
    const cmd = command('if ; then');
    const usual = await run(cmd);
    runner.hold?.(cmd, 'run-8');
    await sleep(200);
    const held = await run(cmd, 'run-8');
    expect(usual).toMatchObject({ outcome: 'failed', exitCode: 2 });
    expect(held).toMatchObject({ outcome: 'failed', exitCode: 2, outputTail: usual.outputTail });
    expect(held.outputTail).toContain('syntax error');
  });

  it('fails with the missing folder named when the step folder does not exist', async () => {
    const cmd = { ...command('echo never'), cwd: join(dir, 'missing') };
    runner.hold?.(cmd, 'run-9');
    await sleep(200);
    const result = await run(cmd, 'run-9');
    expect(result).toMatchObject({
      outcome: 'failed',
      failure: `cwd ${join(dir, 'missing')} does not exist`,
    });
  });
});
