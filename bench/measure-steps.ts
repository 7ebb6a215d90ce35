/** Step figures: one 50-step deployment (overhead, ratio, report lag) and the concurrent burst (throughput, relay lag). */
import { createKeySpace, type Deployment, topicKey } from '../src/core/index.ts';
import { environmentNames } from './bench-runbooks.ts';
import { median, quantile, waitUntil } from './bench-stats.ts';
import type { BenchWorld } from './bench-world.ts';
import { type CpuSnapshot, cpuPerStep, cpuSnapshot } from './process-cpu.ts';

const FINAL = ['succeeded', 'failed', 'rolled_back', 'aborted', 'needs_decision'];

async function startDeployment(
  world: BenchWorld,
  user: string,
  service: string,
  environment: string,
): Promise<string> {
  const answer = await world.command(user, `/deploy start ${service} v1.0.0 ${environment}`, 'C0GENERAL1');
  if (answer.status !== 200) throw new Error(`bench: /deploy start answered ${answer.status}`);
  const reply = await waitUntil(
    `the reply to /deploy start ${service} ${environment}`,
    () => world.fake.responses.find((r) => r.tag === answer.tag),
    30_000,
  );
  const id = /\b([a-z]+-\d+)\b/.exec(String(reply.body.text))?.[1];
  if (!id) throw new Error(`bench: /deploy start did not start: ${String(reply.body.text)}`);
  return id;
}

/** Waits for a deployment to end. The figures come from its own step times, not from when this poll noticed. */
export async function waitFinal(
  world: BenchWorld,
  id: string,
  timeoutMs: number,
  pollMs = 25,
): Promise<Deployment> {
  const d = await waitUntil(
    `${id} to finish`,
    async () => {
      const found = await world.preflight.engine.store.get(id);
      return found && FINAL.includes(found.state) ? found : undefined;
    },
    timeoutMs,
    pollMs,
  );
  if (d.state !== 'succeeded') throw new Error(`bench: ${id} ended ${d.state}, not succeeded`);
  return d;
}

/**
 * Waits for many deployments to end, one after the other: only the one waited for is read (every 100 ms), so the
 * bench's reads, made in the bot's process, do not take from what it measures.
 */
export async function waitAllFinal(
  world: BenchWorld,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Deployment[]> {
  const deadline = Date.now() + timeoutMs;
  const done: Deployment[] = [];
  for (const id of ids) done.push(await waitFinal(world, id, Math.max(0, deadline - Date.now()), 100));
  return done;
}

export interface SoloFigures {
  readonly cycleMs: number;
  readonly spanMs: number;
  readonly reportLagMs: number;
}

/** A 50-step deployment: median step start → next step start, first start → last finish, succeeded → report posted. */
export async function measureSolo(world: BenchWorld, user: string): Promise<SoloFigures> {
  const id = await startDeployment(world, user, 'solo', 'e001');
  const done = await waitFinal(world, id, 120_000);
  // Each step printed when its process ran ($EPOCHREALTIME, µs): engine timestamps are whole ms, and a median of
  // whole-ms cycles moves by up to 1 ms with nothing else changed.
  const starts = done.steps
    .map((s) => {
      const printed = Number(s.outputTail?.trim());
      if (!Number.isFinite(printed) || printed <= 0)
        throw new Error(
          `bench: step ${s.id} of ${id} printed no start time (${s.outputTail ?? 'no output'})`,
        );
      return printed * 1000;
    })
    .sort((a, b) => a - b);
  const cycles = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
  const last = Math.max(...done.steps.map((s) => s.finishedAt ?? 0));
  const ref = await waitUntil(
    `the report of ${id}`,
    () =>
      world.preflight.chat.index.find(
        id,
        topicKey({
          kind: 'report',
          state: 'succeeded',
          ...(done.finishedAt !== undefined && { at: done.finishedAt }),
        }),
      ),
    120_000,
    20,
  );
  const call = world.fake.calls.find((c) => c.method === 'chat.postMessage' && c.result?.ts === ref.id);
  if (!call || done.finishedAt === undefined) throw new Error('bench: the report call was not recorded');
  return { cycleMs: median(cycles), spanMs: last - (starts[0] ?? 0), reportLagMs: call.at - done.finishedAt };
}

export interface BurstFigures {
  readonly stepsPerSecond: number;
  readonly steps: number;
  readonly relayLagMsP95: number;
  /** CPU per step: the bot, its Redis, the step launcher, the step processes (bash). */
  readonly cpu: CpuSnapshot;
}

/** `deployments` concurrent deployments of 10 steps; relay lag = outbox commit → its step job added. */
export async function measureBurst(
  world: BenchWorld,
  user: string,
  deployments: number,
): Promise<BurstFigures> {
  const envs = environmentNames(deployments);
  const before = cpuSnapshot(world.redisPid);
  const ids = await Promise.all(envs.map((e) => startDeployment(world, user, 'burst', e)));
  const finished = await waitAllFinal(world, ids, 300_000);
  const starts = finished.flatMap((d) => d.steps.map((s) => s.startedAt ?? 0));
  const ends = finished.flatMap((d) => d.steps.map((s) => s.finishedAt ?? 0));
  const steps = starts.length;
  const cpu = cpuPerStep(before, cpuSnapshot(world.redisPid), steps);
  const seconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
  return {
    stepsPerSecond: steps / seconds,
    steps,
    relayLagMsP95: await relayLags(world, new Set(ids)),
    cpu,
  };
}

/** For each step job of these deployments: when it was added minus when the commit that asked for it happened. */
async function relayLags(world: BenchWorld, ids: ReadonlySet<string>): Promise<number> {
  const { redis, prefix } = world.preflight;
  const commits = new Map<string, number>();
  const entries = (await redis.xrange(createKeySpace(prefix).outbox, '-', '+')) as [string, string[]][];
  for (const [streamId, fields] of entries) {
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] as string, fields[i + 1] as string);
    const dep = f.get('deployment') ?? '';
    if (ids.has(dep) && (f.get('effects') ?? '').includes('"run-step"'))
      commits.set(`${dep}:r${f.get('revision')}`, Number(streamId.split('-')[0]));
  }
  const lags: number[] = [];
  const jobs = await world.preflight.jobs.queues.steps.getJobs(['completed'], 0, -1);
  for (const job of jobs) {
    const dep = job.data.deploymentId;
    const revision = /~r(\d+)$/.exec(job.id ?? '')?.[1];
    const committed = commits.get(`${dep}:r${revision}`);
    if (ids.has(dep) && committed !== undefined) lags.push(job.timestamp - committed);
  }
  return quantile(lags, 0.95);
}

export { startDeployment };
