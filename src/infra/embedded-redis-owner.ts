/**
 * One embedded Redis per data folder. Two servers on one append-only folder overwrite each other's files, and
 * state goes back in time. A file in the folder names the server and the Preflight that owns it; at start, a
 * server whose owner is gone (killed with SIGKILL, say) is stopped first, so it flushes what it holds, and one whose
 * owner still runs is a clear error instead of a second server.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.ts';

const OWNER_FILE = 'preflight-owner.json';
const STOP_WAIT_MS = 10_000;

interface Owner {
  readonly redisPid: number;
  readonly port: number;
  readonly ownerPid: number;
}

const alive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The command line of a process, where the system shows it (Linux); undefined elsewhere or when it is gone. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** Still that process: alive and, where the command line can be read, showing each of `marks`. */
const stillRuns = (pid: number, ...marks: string[]): boolean => {
  if (!alive(pid)) return false;
  const line = commandLine(pid);
  return line === undefined || marks.every((mark) => line.includes(mark));
};

function readOwner(dir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<Owner>;
    if (
      typeof owner.redisPid === 'number' &&
      typeof owner.port === 'number' &&
      typeof owner.ownerPid === 'number'
    )
      return owner as Owner;
  } catch {}
  return undefined;
}

/**
 * Makes the folder free for a new server: stops a server left behind by a Preflight that is gone; refuses when
 * the Preflight that started the server still runs.
 */
export async function claimDataFolder(dir: string): Promise<void> {
  const owner = readOwner(dir);
  // redis-server shows its address as its command line: the pid is that server, not a reused one.
  if (!owner || !stillRuns(owner.redisPid, 'redis-server', `:${owner.port}`)) return;
  if (owner.ownerPid !== process.pid && stillRuns(owner.ownerPid, 'node'))
    throw new StartupError(
      `another Preflight (pid ${owner.ownerPid}) is using the embedded Redis in ${dir} (port ${owner.port}); stop it first, or run this one from another folder or with REDIS_URL set`,
    );
  process.kill(owner.redisPid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (alive(owner.redisPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(owner.redisPid)) process.kill(owner.redisPid, 'SIGKILL');
}

/** Records the server now running on the folder, and this process as its owner. */
export function recordOwner(dir: string, redisPid: number, port: number): void {
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ redisPid, port, ownerPid: process.pid }));
}

/** Forgets the owner once its server has stopped. */
export function forgetOwner(dir: string): void {
  rmSync(join(dir, OWNER_FILE), { force: true });
}
