/**
 * `npm run bench -- --trace`: where the time of ✅ → step started goes. Redis's MONITOR stamps every command with
 * the server's clock (the same wall clock as the bench's), so the moments the approval passes through Redis are
 * read without touching Preflight's code: the inbox entry recorded, taken by the inbox worker, the reaction-order
 * lock taken, the deployment read, the commit, the step's run lease, and the step's own clock when it started.
 * MONITOR slows Redis a little: these figures explain the bench's `approvalToStepMsP95`, they do not replace it.
 */
import { ANN, APPROVAL_WARMUPS, environmentNames } from './bench-runbooks.ts';
import { median, quantile, waitUntil } from './bench-stats.ts';
import { type BenchWorld, nowMs } from './bench-world.ts';
import { startDeployment, waitFinal } from './measure-steps.ts';
import { monitorRedis } from './redis-monitor.ts';

interface Seen {
  readonly at: number;
  readonly args: readonly string[];
}

/** Each stage: how to find its command among those Redis saw after the previous stage. */
const STAGES: readonly {
  name: string;
  what: string;
  is: (args: readonly string[], eventKey: string, id: string) => boolean;
}[] = [
  {
    name: 'recorded',
    what: 'the inbox entry is in Redis (Slack gets its 200 after this)',
    is: (a) => a[0] === 'LPUSH' && /pf-inbox-slack:wait$/.test(a[1] ?? ''),
  },
  {
    name: 'taken',
    what: 'the inbox worker took the entry',
    is: (a) => a[0] === 'RPOPLPUSH' && /pf-inbox-slack:wait$/.test(a[1] ?? ''),
  },
  {
    name: 'locked',
    what: 'the reaction-order lock taken',
    is: (a) => a[0] === 'SET' && /:reaction:lock:/.test(a[1] ?? ''),
  },
  {
    // After the lock: the bench's own look at the deployment (every 5 ms) is a `get` of the same key.
    name: 'read',
    what: 'the deployment read (after the reaction-order lock)',
    is: (a, _event, id) => a[0]?.toLowerCase() === 'get' && (a[1] ?? '').endsWith(`:dep:${id}`),
  },
  {
    name: 'committed',
    what: 'the approval and the step start committed (one script)',
    is: (a, eventKey) => a[0] === 'SET' && a[1] === eventKey,
  },
  {
    name: 'leased',
    what: 'the run lease, written once the turn that asked the step launcher for the step is done',
    is: (a) => a[0]?.toLowerCase() === 'set' && /:run:.*:lease$/.test(a[1] ?? ''),
  },
];

/** Stage name → ms after the reaction was sent, for one approval; undefined where a stage was not seen. */
function stagesOf(
  seen: readonly Seen[],
  sent: number,
  prefix: string,
  id: string,
): Record<string, number> | undefined {
  const recorded = seen.find((s) => s.at >= sent && (STAGES[0]?.is(s.args, '', id) ?? false));
  const jobId = recorded?.args[2];
  if (!jobId) return undefined;
  const eventKey = `${prefix}evt:${jobId.replace('~', ':')}`;
  const out: Record<string, number> = {};
  let from = sent;
  for (const stage of STAGES) {
    const hit = seen.find((s) => s.at >= from && stage.is(s.args, eventKey, id));
    if (!hit) return undefined;
    out[stage.name] = hit.at - sent;
    from = hit.at;
  }
  return out;
}

/** Traces `count` approvals (after the warm-ups, not counted) and prints where their time went. */
export async function traceApprovals(world: BenchWorld, count: number, say: (line: string) => void) {
  const ids: string[] = [];
  for (const e of environmentNames(count + APPROVAL_WARMUPS))
    ids.push(await startDeployment(world, ANN, 'gated', e));
  const seen: Seen[] = [];
  const monitor = await monitorRedis(world.redisUrl, (line) => seen.push(line));
  const rows: Record<string, number>[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      const ref = await waitUntil(
        `gate of ${id}`,
        () => world.preflight.chat.index.find(id, 'gate:ok'),
        60_000,
        20,
      );
      seen.length = 0;
      const sent = nowMs();
      const answer = await world.react(ANN, ref.channel, ref.id, 'white_check_mark');
      const acked = nowMs() - sent;
      const started = await waitUntil(
        `the step of ${id}`,
        async () => {
          const d = await world.preflight.engine.store.get(id);
          const tail = d?.steps.find((s) => s.id === 'first')?.outputTail?.trim();
          return tail && /^\d+\.\d+$/.test(tail) ? Number(tail) * 1000 : undefined;
        },
        30_000,
        5,
      );
      await waitFinal(world, id, 30_000);
      if (answer.status !== 200) throw new Error(`bench: the reaction answered ${answer.status}`);
      const stages = stagesOf(seen, sent, '{pf}:', id);
      if (i >= APPROVAL_WARMUPS && stages) rows.push({ ...stages, acked, started: started - sent });
    }
  } finally {
    monitor.close();
  }
  const names = [...STAGES.map((s) => s.name), 'started'];
  const what: Record<string, string> = Object.fromEntries(STAGES.map((s) => [s.name, s.what]));
  what.started = 'the step process started (its own clock)';
  say(
    `${rows.length} approvals traced; ms after the signed ✅ event was sent (median, p95), and the step from the one before:`,
  );
  let before: string | undefined;
  const figures: Record<string, number> = { tracedApprovals: rows.length };
  for (const name of names) {
    const at = rows.map((r) => r[name] as number);
    const gap = rows.map((r) => (r[name] as number) - (before ? (r[before] as number) : 0));
    say(
      `  ${name.padEnd(10)} ${median(at).toFixed(2).padStart(6)} ${quantile(at, 0.95).toFixed(2).padStart(6)}   +${median(gap).toFixed(2)}  ${what[name]}`,
    );
    figures[`${name}MsMedian`] = median(at);
    before = name;
  }
  const acks = rows.map((r) => r.acked as number);
  say(`  (Slack had its 200 after ${median(acks).toFixed(2)} ms, median)`);
  return figures;
}
