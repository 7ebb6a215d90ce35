/**
 * The demo's own sandbox: a copy of examples/sandbox/runbook.yaml whose toy listens on a free port and keeps its
 * state in the demo's folder, so a demo never meets another demo's toy, a console's, or another checkout's.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { findFreePort } from '../infra/embedded-redis.ts';

/** Where the demo keeps its Redis, toy state and runbook copy; `preflight audit` looks here too. */
export const DEMO_DIR = '.preflight/demo';

export interface DemoSandbox {
  /** The runbook copy to load (RUNBOOK). */
  readonly runbook: string;
  readonly port: number;
  /** Runs `node toy.mjs <args>` against this demo's toy; returns its output line. */
  toy(...args: string[]): string;
}

/** Empties `dir`, writes the runbook copy there and points it at a free port. */
export async function prepareDemoSandbox(sandbox: string, dir: string): Promise<DemoSandbox> {
  const state = join(dir, 'sandbox');
  const port = await findFreePort();
  const doc = parseDocument(await readFile(join(sandbox, 'runbook.yaml'), 'utf8'));
  doc.set('workdir', sandbox);
  doc.setIn(['env', 'SANDBOX_DIR'], state);
  doc.setIn(['env', 'SANDBOX_PORT'], port);
  const toy = (...args: string[]): string => {
    const result = spawnSync(process.execPath, ['toy.mjs', ...args], {
      cwd: sandbox,
      env: { ...process.env, SANDBOX_DIR: state, SANDBOX_PORT: String(port) },
      encoding: 'utf8',
    });
    return `${result.stdout}${result.stderr}`.trim();
  };
  if (await readFile(join(state, 'toy.pid'), 'utf8').catch(() => undefined)) {
    // A demo stopped with kill -9 may have left its toy: stop it by its pid file, on whatever port it had.
    spawnSync(process.execPath, ['toy.mjs', 'stop'], {
      cwd: sandbox,
      env: { ...process.env, SANDBOX_DIR: state, SANDBOX_PORT: '1' },
    });
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  const runbook = join(dir, 'runbook.yaml');
  await writeFile(runbook, doc.toString());
  return { runbook, port, toy };
}
