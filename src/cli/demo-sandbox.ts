/**
 * The demo's own sandbox: a copy of examples/sandbox/runbook.yaml whose toy listens on a free port and keeps its
 * state in the demo's folder, so a demo never meets another demo's toy, a console's, or another checkout's.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { findFreePort } from '../infra/embedded-redis.ts';
import { CliError } from './cli-error.ts';

/** Where the demo keeps its Redis, toy state and runbook copy; `preflight audit` looks here too. */
export const DEMO_DIR = '.preflight/demo';

export interface DemoSandbox {
  /** The runbook copy to load (RUNBOOK). */
  readonly runbook: string;
  readonly port: number;
  /** Runs `node toy.mjs <args>` against this demo's toy; returns its output line. */
  toy(...args: string[]): string;
}

/** What a demo writes in its folder: all that a later demo may remove there. */
const DEMO_ENTRIES = ['demo.log', 'redis', 'reports', 'runbook.yaml', 'sandbox'];

/**
 * Refuses a folder that is not a demo's own: the demo empties its folder, and `--dir ''`, `--dir .` or `--dir ~`
 * must never remove a checkout or a home.
 */
async function checkDemoDir(dir: string): Promise<void> {
  const kind = await stat(dir).catch(() => undefined);
  if (kind === undefined) return;
  if (!kind.isDirectory()) throw new CliError(`--dir ${dir}: is not a folder; name a new or empty folder`, 2);
  const foreign = (await readdir(dir)).filter((entry) => !DEMO_ENTRIES.includes(entry)).sort();
  if (foreign.length === 0) return;
  const shown =
    foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
  throw new CliError(
    `--dir ${dir}: holds ${shown}, which the demo did not write; the demo empties its folder, so name a new or empty folder (or leave --dir out: .preflight/demo)`,
    2,
  );
}

/**
 * Creates `path` and its missing parents one by one: Node's recursive mkdir loops for ever where the system refuses
 * a new folder with ENOENT under one that exists (/proc).
 */
async function makeFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path; !(await stat(at).catch(() => undefined)); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) await mkdir(folder);
}

/** Empties `dir`, writes the runbook copy there and points it at a free port. */
export async function prepareDemoSandbox(sandbox: string, dir: string): Promise<DemoSandbox> {
  await checkDemoDir(dir);
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
  for (const entry of DEMO_ENTRIES) await rm(join(dir, entry), { recursive: true, force: true });
  await makeFolders(state).catch(() => {
    throw new CliError(`--dir ${dir}: cannot create the folder there; name a folder you can write`, 2);
  });
  const runbook = join(dir, 'runbook.yaml');
  await writeFile(runbook, doc.toString());
  return { runbook, port, toy };
}
