/** Runs the real `preflight console` in a process with a script on stdin, for end-to-end tests. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './load-runbook.ts';

const node = join(repoRoot, 'node_modules/.bin/node');

export interface Session {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From the end of the script on stdin to the process's exit. */
  readonly exitAfterInputMs: number;
}

/** Runs `preflight console` in `where.dir` against `where.redisUrl` with `script` on stdin, until it exits. */
export function runConsoleSession(
  where: { redisUrl: string; dir: string },
  script: string,
  ...args: string[]
): Promise<Session> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(repoRoot, 'bin/preflight.js'), 'console', ...args], {
      cwd: where.dir,
      env: {
        ...process.env,
        NO_COLOR: '1',
        REDIS_URL: where.redisUrl,
        RUNBOOK: join(where.dir, 'runbook.yaml'),
        LOG_LEVEL: 'info',
      },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const inputEnded = Date.now();
    child.stdin.end(script);
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout, stderr, exitAfterInputMs: Date.now() - inputEnded }),
    );
  });
}

/** The deployment ids a transcript started (`Starting toy-3: …`), in order. */
export function startedIds(transcript: string): string[] {
  return [...transcript.matchAll(/Starting ([a-z][a-z0-9-]*-\d+):/g)].map((m) => m[1] ?? '');
}
