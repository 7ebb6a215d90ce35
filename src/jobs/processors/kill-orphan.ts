/** Ends a step process whose worker died, before anyone can decide to run the step again. */
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

const GONE_WITHIN_MS = 3_000;

/** True while the process exists and is not a zombie waiting to be reaped (zombies are told apart on Linux). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/**
 * Processes of this host whose environment says they run `runId` (PREFLIGHT_RUN_ID). This finds the step even when
 * its worker died before the step's pid reached Redis. Linux only (/proc): undefined elsewhere.
 */
async function findByRunId(runId: string): Promise<number[] | undefined> {
  const marker = `PREFLIGHT_RUN_ID=${runId}\0`;
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return undefined;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.includes(marker)) found.push(Number(entry));
  }
  return found;
}

/**
 * Kills the orphan's process group (the step and everything it started), found by its run id, then waits until
 * they are gone, so a retry never overlaps them. Returns false when they could not be confirmed gone. Where the
 * processes can be read (/proc), only those whose environment names the run are killed: a recorded pid whose step
 * has exited may belong to another process by now (pids are reused, within seconds on a busy host); elsewhere the
 * pid recorded on this host is all there is to go by.
 */
export async function killOrphan(
  info: { host: string; pid: number } | undefined,
  runId: string,
): Promise<boolean> {
  const recorded = info && info.host === hostname() ? [info.pid] : [];
  const pids = (await findByRunId(runId)) ?? recorded;
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, or not a group leader.
      }
    }
  }
  const deadline = Date.now() + GONE_WITHIN_MS;
  for (const pid of pids) {
    while (await isRunning(pid)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return true;
}
