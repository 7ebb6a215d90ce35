/** A private copy of examples/sandbox on a free port, so tests never share the toy service or its state. */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { findFreePort } from '../../src/infra/embedded-redis.ts';
import { repoRoot } from './load-runbook.ts';

export interface SandboxCopy {
  readonly dir: string;
  readonly port: number;
  readonly runbookText: string;
  /** Runs `node toy.mjs <args>` in the copy and returns its output. */
  toy(...args: string[]): string;
  remove(): Promise<void>;
}

/** Copies the sandbox; its runbook points at a free port and keeps state in the copy. */
export async function copySandbox(): Promise<SandboxCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-sandbox-'));
  await cp(join(repoRoot, 'examples/sandbox'), dir, { recursive: true });
  const port = await findFreePort();
  const doc = parseDocument(await readFile(join(dir, 'runbook.yaml'), 'utf8'));
  doc.setIn(['env', 'SANDBOX_PORT'], port);
  doc.setIn(['env', 'SANDBOX_DIR'], './state');
  const text = doc.toString();
  await writeFile(join(dir, 'runbook.yaml'), text);
  const env = { ...process.env, SANDBOX_DIR: join(dir, 'state'), SANDBOX_PORT: String(port) };
  const toy = (...args: string[]) => {
    const result = spawnSync(join(repoRoot, 'node_modules/.bin/node'), ['toy.mjs', ...args], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    return `${result.stdout}${result.stderr}`;
  };
  return {
    dir,
    port,
    runbookText: text,
    toy,
    async remove() {
      toy('stop');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
