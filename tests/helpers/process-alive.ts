import { existsSync, readFileSync } from 'node:fs';

/** True when the process exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  // kill(0) or kill(-1) would signal whole groups and always "succeed": a pid read too early must fail loudly.
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * The pid a step wrote to `file` (`echo $$ > file`), once the whole line is there: the shell creates the file
 * before it writes, so a file that merely exists may still be empty.
 */
export async function readPidFile(file: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (/^\d+\n$/.test(text)) return Number(text);
    if (Date.now() > deadline) throw new Error(`${file} holds no pid after ${timeoutMs} ms: "${text}"`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the process is gone (a killed orphan is reaped by init shortly after it dies). */
export async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
