/**
 * The raw baseline in a small process of its own (only execa loaded), as a plain script runner would be:
 * `node bench/raw-child.ts <spawn|serial|throughput> <runs> [concurrency]` prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { SOLO_STEP } from './bench-runbooks.ts';
import { mapLimit, median, quantile } from './bench-stats.ts';
import { runRaw } from './raw-exec.ts';

const [mode = '', runsText = '0', concurrencyText = '1'] = process.argv.slice(2);
const runs = Number(runsText);
const now = () => performance.timeOrigin + performance.now();
/** This process's CPU and that of the children it reaped, ms (/proc, USER_HZ 100). */
const ownAndReapedCpuMs = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return ((f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0)) * 10;
};
let result: Record<string, number>;
if (mode === 'spawn') {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = now();
    const { stdout } = await runRaw('echo $EPOCHREALTIME');
    samples.push(Number(stdout.trim()) * 1000 - before);
  }
  result = { p95: quantile(samples, 0.95) };
} else if (mode === 'serial') {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) samples.push((await runRaw(SOLO_STEP)).ms);
  result = { medianMs: median(samples), totalMs: performance.now() - started };
} else {
  const burst = () =>
    mapLimit(
      Array.from({ length: runs }, (_, i) => i),
      Number(concurrencyText),
      () => runRaw('true'),
    );
  // Warmed as the bot is (its first burst is not the one measured): one burst first, then the measured one.
  await burst();
  const started = performance.now();
  const cpuBefore = ownAndReapedCpuMs();
  await burst();
  result = {
    perSecond: runs / ((performance.now() - started) / 1000),
    cpuMsPerStep: (ownAndReapedCpuMs() - cpuBefore) / runs,
  };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
