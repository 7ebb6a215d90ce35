/**
 * `npm run bench -- --trace`, second part: where the time from one step's start to the next's goes in a 50-step
 * deployment. As for the approvals, Redis's MONITOR stamps what passes through it with the server's clock, so each
 * cycle is read without touching Preflight's code: the step's result saved (the step ran, ended, and its launcher
 * told the bot), the commit that records it and starts the next step (its last write, the outbox entry), and the
 * next step's own clock (the bot asked the step launcher, which spawned it). The raw run beside it is the same command run by execa from a small process, start to end.
 */
import { ANN } from './bench-runbooks.ts';
import { median } from './bench-stats.ts';
import type { BenchWorld } from './bench-world.ts';
import { measureSolo } from './measure-steps.ts';
import { measureRawSerial } from './raw-baselines.ts';
import { type MonitorLine, monitorRedis } from './redis-monitor.ts';

const STAGES = [
  {
    name: 'result',
    what: 'the step ended and its result is saved (launcher → bot)',
    is: (a: readonly string[]) => a[0]?.toLowerCase() === 'set' && /:run:.*:result$/.test(a[1] ?? ''),
  },
  {
    name: 'committed',
    what: 'recorded, and the next step started, in one commit (its last write)',
    is: (a: readonly string[]) => a[0] === 'XADD' && /:outbox$/.test(a[1] ?? ''),
  },
] as const;

/** One cycle's stages, ms after its step started; undefined where one was not seen before the next start. */
function cycleOf(
  seen: readonly MonitorLine[],
  start: number,
  next: number,
): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let from = start;
  for (const stage of STAGES) {
    const hit = seen.find((s) => s.at >= from && s.at <= next && stage.is(s.args));
    if (!hit) return undefined;
    out[stage.name] = hit.at - start;
    from = hit.at;
  }
  out.started = next - start;
  return out;
}

/** Runs one 50-step deployment under MONITOR (after one not traced) and prints where each cycle's time went. */
export async function traceSteps(
  world: BenchWorld,
  say: (line: string) => void,
): Promise<Record<string, number>> {
  await measureSolo(world, ANN);
  const raw = await measureRawSerial(50);
  const seen: MonitorLine[] = [];
  const monitor = await monitorRedis(world.redisUrl, (line) => seen.push(line));
  try {
    await measureSolo(world, ANN);
  } finally {
    monitor.close();
  }
  const [done] = await world.preflight.engine.store.list({ service: 'solo', limit: 1 });
  const starts = (done?.steps ?? []).map((s) => Number(s.outputTail?.trim()) * 1000).sort((a, b) => a - b);
  const rows = starts
    .slice(1)
    .map((next, i) => cycleOf(seen, starts[i] ?? 0, next))
    .filter((r): r is Record<string, number> => r !== undefined);
  say(
    `${rows.length} step cycles traced; ms after a step started (median), and the part from the stage before:`,
  );
  const what: Record<string, string> = {
    ...Object.fromEntries(STAGES.map((s) => [s.name, s.what])),
    started: 'the next step started, its own clock (bot → launcher → spawn → bash)',
  };
  const figures: Record<string, number> = { tracedCycles: rows.length, rawRunMsMedian: raw.medianMs };
  let before: string | undefined;
  for (const name of [...STAGES.map((s) => s.name), 'started']) {
    const at = rows.map((r) => r[name] ?? 0);
    const gap = rows.map((r) => (r[name] ?? 0) - (before ? (r[before] ?? 0) : 0));
    say(
      `  ${name.padEnd(10)} ${median(at).toFixed(2).padStart(6)}   +${median(gap).toFixed(2)}  ${what[name]}`,
    );
    figures[`cycle${name[0]?.toUpperCase()}${name.slice(1)}MsMedian`] = median(at);
    before = name;
  }
  say(
    `  (the same command run by execa from a small process: ${raw.medianMs.toFixed(2)} ms start to end, median)`,
  );
  return figures;
}
