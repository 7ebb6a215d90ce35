/**
 * The execa step runner with real processes: outcomes, process-tree kills, streaming, bounds, env and redaction,
 * both spawning from this process and from the step launcher process the worker uses.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor, type StepCommand, type StepResult } from '../../src/core/index.ts';
import { createExecaStepRunner } from '../../src/infra/execa-step-runner.ts';
import { createStepLauncher } from '../../src/infra/step-launcher/step-launcher.ts';

const DB_PASSWORD = 'pg-s3cret-value-42';
const PATH = '/usr/local/bin:/usr/bin:/bin';
const redactor = createRedactor({ secrets: [DB_PASSWORD] });
const launcher = createStepLauncher();
const runners = {
  'in this process': createExecaStepRunner({ redactor }),
  'from the step launcher': createExecaStepRunner({ redactor, spawn: launcher.spawn }),
};
let runner = runners['in this process'];

let dir = '';
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await launcher.close();
});

interface Run {
  readonly result: StepResult;
  readonly lines: string[];
  readonly pids: number[];
}

async function runStep(
  command: Partial<StepCommand>,
  options: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<Run> {
  const lines: string[] = [];
  const pids: number[] = [];
  const result = await runner.run(
    { cwd: dir, env: { PATH, HOME: dir }, timeoutMs: 20_000, ...command },
    {
      signal: options.signal ?? new AbortController().signal,
      onLine: (line) => {
        lines.push(line);
        options.onLine?.(line);
      },
      onSpawn: (pid) => pids.push(pid),
    },
  );
  return { result, lines, pids };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone (a killed orphan is reaped by init shortly after it dies). */
async function waitUntilGone(pid: number, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function waitForFile(file: string, ms = 5_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await sleep(20);
  }
  return readFileSync(file, 'utf8').trim();
}

describe.each(Object.keys(runners) as (keyof typeof runners)[])(
  'createExecaStepRunner, spawning %s',
  (name) => {
    beforeAll(() => {
      runner = runners[name];
      // Each runner gets its own folder: pid files of the other one's runs must not be read as its own.
      dir = mkdtempSync(join(tmpdir(), 'preflight-step-runner-'));
      dirs.push(dir);
    });

    it('reports success with exit code 0, the spawned pid and the output', async () => {
      const { result, lines, pids } = await runStep({ run: 'echo hello; echo to-stderr >&2' });
      expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0, outputTail: 'hello\nto-stderr' });
      expect(lines).toEqual(['hello', 'to-stderr']);
      expect(pids).toHaveLength(1);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('reports failure with the exit code', async () => {
      const { result } = await runStep({ run: 'echo before; exit 3' });
      expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, outputTail: 'before' });
      expect(result.failure).toBeUndefined();
    });

    it('runs argv without a shell', async () => {
      const { result, lines } = await runStep({ argv: ['printf', '%s\\n', 'a b; $(echo injected) `id`'] });
      expect(result.outcome).toBe('succeeded');
      expect(lines).toEqual(['a b; $(echo injected) `id`']);
    });

    it('times out and kills the whole process tree', async () => {
      const pidfile = join(dir, 'timeout.pid');
      const started = Date.now();
      const { result } = await runStep({ run: `sleep 300 & echo $! > ${pidfile}; wait`, timeoutMs: 700 });
      expect(result.outcome).toBe('timed_out');
      expect(result.exitCode).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(6_000);
      const grandchild = Number(readFileSync(pidfile, 'utf8'));
      expect(await waitUntilGone(grandchild)).toBe(true);
      expect(() => process.kill(grandchild, 0)).toThrow();
    });

    it('is canceled from outside through the AbortSignal, killing grandchildren', async () => {
      const pidfile = join(dir, 'cancel.pid');
      const controller = new AbortController();
      const running = runStep(
        { run: `sleep 300 & echo $! > ${pidfile}; wait` },
        { signal: controller.signal },
      );
      const grandchild = Number(await waitForFile(pidfile));
      expect(isAlive(grandchild)).toBe(true);
      const aborted = Date.now();
      controller.abort();
      const { result, pids } = await running;
      expect(result.outcome).toBe('canceled');
      expect(Date.now() - aborted).toBeLessThan(3_000);
      expect(await waitUntilGone(grandchild)).toBe(true);
      expect(await waitUntilGone(pids[0] ?? 0)).toBe(true);
    });

    it('does not start a step whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const { result, pids } = await runStep({ run: 'echo never' }, { signal: controller.signal });
      expect(result.outcome).toBe('canceled');
      expect(pids).toEqual([]);
    });

    it('streams lines in order, before the process ends', async () => {
      const seen: Array<{ line: string; at: number }> = [];
      const started = Date.now();
      const { result, lines } = await runStep(
        { run: 'echo one; sleep 0.2; echo two >&2; sleep 1; echo three' },
        { onLine: (line) => seen.push({ line, at: Date.now() }) },
      );
      const ended = Date.now();
      expect(result.outcome).toBe('succeeded');
      expect(lines).toEqual(['one', 'two', 'three']);
      expect(seen[0]?.at ?? ended).toBeLessThan(started + 700);
      expect(ended - (seen[1]?.at ?? ended)).toBeGreaterThan(700);
    });

    it('keeps only a bounded tail of 100k lines', async () => {
      let count = 0;
      const { result } = await runStep({ run: 'seq 1 100000' }, { onLine: () => count++ });
      expect(result.outcome).toBe('succeeded');
      expect(count).toBe(100_000);
      const tail = result.outputTail.split('\n');
      expect(tail).toHaveLength(41);
      expect(tail[0]).toBe('… 99,960 earlier lines not shown');
      expect(tail.at(-1)).toBe('100000');
      expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(8 * 1024);
    });

    it('bounds the tail by bytes and does not hold 200 MB of output in memory', async () => {
      const before = process.memoryUsage().heapUsed;
      const { result, lines } = await runStep({
        run: "head -c 200000000 /dev/zero | tr '\\0' a; echo; seq 1 5 | sed 's/^/x/; s/$/ '\"$(head -c 2500 /dev/zero | tr '\\0' b)\"'/'",
      });
      const grown = process.memoryUsage().heapUsed - before;
      expect(result.outcome).toBe('succeeded');
      expect(lines[0]).toMatch(/^a{16384}… \(199,983,616 more characters\)$/);
      expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(8 * 1024);
      expect(result.outputTail).toMatch(/^… 3 earlier lines not shown\nx3 b+\nx4 b+\nx5 b+$/);
      expect(grown).toBeLessThan(100 * 1024 * 1024);
    });

    it('runs with exactly the environment given', async () => {
      process.env.SLACK_BOT_TOKEN = 'xoxb-leak';
      try {
        const { lines } = await runStep({ argv: ['env'], env: { PATH, HOME: dir, FOO: 'bar' } });
        expect(lines.sort()).toEqual([`HOME=${dir}`, 'FOO=bar', `PATH=${PATH}`].sort());
        const shell = await runStep({ run: 'env', env: { PATH, HOME: dir } });
        expect(shell.lines.join('\n')).not.toContain('xoxb-leak');
        expect(shell.lines.map((l) => l.split('=')[0]).sort()).toEqual(['HOME', 'PATH', 'PWD', 'SHLVL', '_']);
      } finally {
        delete process.env.SLACK_BOT_TOKEN;
      }
    });

    it('never shows a secret value printed by the step', async () => {
      const { result, lines } = await runStep({
        run: 'echo "key is $DB_PASSWORD"; echo "$DB_PASSWORD" >&2; printf "%s" "tail:$DB_PASSWORD"',
        env: { PATH, HOME: dir, DB_PASSWORD },
      });
      expect(lines).toEqual(['key is [REDACTED]', '[REDACTED]', 'tail:[REDACTED]']);
      expect(result.outputTail).not.toContain(DB_PASSWORD);
      expect(lines.join('\n')).not.toContain(DB_PASSWORD);
    });

    it('shows no part of a secret that a very long line is cut in the middle of', async () => {
      // A one-line JSON document (kubectl … -o json) longer than a line is kept: the value straddles the cut.
      const { result, lines } = await runStep({
        run: 'printf "{\\"pad\\":\\"%s\\",\\"dsn\\":\\"%s\\"}\\n" "$(head -c 16360 /dev/zero | tr "\\\\0" a)" "$DB_PASSWORD"',
        env: { PATH, HOME: dir, DB_PASSWORD },
      });
      expect(lines[0]).toMatch(/^\{"pad":"a{16360}",.*… \(\d+ more characters\)$/);
      for (const shown of [lines.join('\n'), result.outputTail])
        expect(shown).not.toContain(DB_PASSWORD.slice(0, 6));
    });

    it('shows no line of a private key whose end is printed without its start (tail -n 5 key.pem)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      writeFileSync(join(dir, 'key.pem'), pem);
      const { result, lines } = await runStep({ run: 'tail -n 5 key.pem; echo done' });
      const body = pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]+$/.test(line));
      expect(lines).toEqual(['[REDACTED]', '-----END PRIVATE KEY-----', 'done']);
      for (const line of body) expect(result.outputTail).not.toContain(line);
    });

    it('shows lines a key would wrap at when no key end follows them', async () => {
      const wide = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2';
      const { lines } = await runStep({ run: `echo ${wide}; echo ${wide}; echo Zm9v; echo done` });
      expect(lines).toEqual([wide, wide, 'Zm9v', 'done']);
    });

    it('shows colours, titles, bells and progress redrawn with \\r as the plain text a terminal would show', async () => {
      const { result, lines } = await runStep({
        run: "printf '\\033[1;31mred\\033[0m plain\\n\\033]0;a title\\007after the title\\n10%%\\r50%%\\r100%%\\nbell\\007 done\\tok\\n'",
      });
      expect(lines).toEqual(['red plain', 'after the title', '100%', 'bell done\tok']);
      expect(result.outputTail).toBe('red plain\nafter the title\n100%\nbell done\tok');
    });

    it('hides a private key printed over several lines', async () => {
      const key = [
        '-----BEGIN RSA PRIVATE KEY-----',
        'MIIEpAIBAAKCAQEAsecretbody',
        '-----END RSA PRIVATE KEY-----',
      ];
      const { result } = await runStep({ argv: ['printf', '%s\\n', 'before', ...key, 'after'] });
      expect(result.outputTail).not.toContain('secretbody');
      expect(result.outputTail).toContain('after');
    });

    it('fails clearly when the program is not on PATH', async () => {
      const { result } = await runStep({ argv: ['preflight-no-such-program', '--x'] });
      expect(result.outcome).toBe('failed');
      expect(result.exitCode).toBeUndefined();
      expect(result.failure).toBe(`program "preflight-no-such-program" not found on PATH (${PATH})`);
      const noBash = await runStep({ run: 'true', env: { PATH: dir } });
      expect(noBash.result.failure).toBe(`program "bash" not found on PATH (${dir})`);
    });

    it('fails clearly when the cwd does not exist', async () => {
      const { result, pids } = await runStep({ run: 'true', cwd: '/nonexistent/preflight' });
      expect(result).toMatchObject({
        outcome: 'failed',
        failure: 'cwd /nonexistent/preflight does not exist',
      });
      expect(pids).toEqual([]);
    });

    it('gives the step a closed stdin, so `read` returns at once', async () => {
      const { result, lines } = await runStep({
        run: 'if read -r x; then echo "read $x"; else echo eof; fi',
      });
      expect(result.outcome).toBe('succeeded');
      expect(lines).toEqual(['eof']);
      expect(result.durationMs).toBeLessThan(2_000);
    });

    it('fails on an unset variable (set -u) and reports the error line', async () => {
      const { result } = await runStep({ run: 'echo start; echo "$PREFLIGHT_UNSET_VAR"; echo never' });
      expect(result.outcome).toBe('failed');
      expect(result.exitCode).not.toBe(0);
      expect(result.outputTail).toMatch(/^start\n.*PREFLIGHT_UNSET_VAR: unbound variable$/);
    });

    it('fails a pipeline whose first command fails (pipefail)', async () => {
      const { result } = await runStep({ run: 'false | true' });
      expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    });

    it('stops background processes that keep the output open after the step exited', async () => {
      const pidfile = join(dir, 'leftover.pid');
      const { result } = await runStep({ run: `sleep 300 & echo $! > ${pidfile}; echo started` });
      expect(result.outcome).toBe('succeeded');
      expect(result.durationMs).toBeLessThan(5_000);
      expect(result.outputTail).toContain('started');
      expect(result.outputTail).toContain('they were stopped');
      expect(await waitUntilGone(Number(readFileSync(pidfile, 'utf8')))).toBe(true);
    });
  },
);
