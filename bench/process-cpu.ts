/**
 * Where a burst's CPU goes, read from /proc (Linux): the bot's process, its Redis, and the step launcher with the
 * step processes it started and reaped. Used to show why a throughput target is or is not within the machine's reach.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

interface Times {
  /** The process's own user+system CPU, ms. */
  readonly own: number;
  /** CPU of its children it has waited for, ms. */
  readonly reaped: number;
}

function timesOf(pid: number): Times {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // Fields 14–17 of stat (utime, stime, cutime, cstime), counted from field 3 here.
    return { own: ((f[11] ?? 0) + (f[12] ?? 0)) * TICK_MS, reaped: ((f[13] ?? 0) + (f[14] ?? 0)) * TICK_MS };
  } catch {
    return { own: 0, reaped: 0 };
  }
}

/** Children of `parent` whose command line contains `text`. */
function childrenRunning(parent: number, text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

export interface CpuSnapshot {
  readonly bot: number;
  readonly redis: number;
  readonly launcher: number;
  readonly steps: number;
}

/** CPU so far (ms) of this process, the Redis at `redisPid` and this process's step launcher(s) and their steps. */
export function cpuSnapshot(redisPid: number): CpuSnapshot {
  const launchers = childrenRunning(process.pid, 'launcher-child.ts').map(timesOf);
  const usage = process.cpuUsage();
  return {
    bot: (usage.user + usage.system) / 1000,
    redis: timesOf(redisPid).own,
    launcher: launchers.reduce((sum, t) => sum + t.own, 0),
    steps: launchers.reduce((sum, t) => sum + t.reaped, 0),
  };
}

/** CPU per step between two snapshots, ms. */
export function cpuPerStep(before: CpuSnapshot, after: CpuSnapshot, steps: number): CpuSnapshot {
  const per = (k: keyof CpuSnapshot) => (after[k] - before[k]) / Math.max(1, steps);
  return { bot: per('bot'), redis: per('redis'), launcher: per('launcher'), steps: per('steps') };
}
