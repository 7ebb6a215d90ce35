/**
 * The raw baseline in a small process of its own (only execa loaded), as a plain script runner would be:
 * `node bench/raw-child.ts <spawn|serial|throughput> <runs> [concurrency]` prints one JSON line.
 */
import { mapLimit, median, quantile } from './bench-stats.ts';
import { runRaw } from './raw-exec.ts';

const [mode = '', runsText = '0', concurrencyText = '1'] = process.argv.slice(2);
const runs = Number(runsText);
const now = () => performance.timeOrigin + performance.now();
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
  for (let i = 0; i < runs; i++) samples.push((await runRaw('true')).ms);
  result = { medianMs: median(samples), totalMs: performance.now() - started };
} else {
  const started = performance.now();
  await mapLimit(
    Array.from({ length: runs }, (_, i) => i),
    Number(concurrencyText),
    () => runRaw('true'),
  );
  result = { perSecond: runs / ((performance.now() - started) / 1000) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
