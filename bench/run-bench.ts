/**
 * `npm run bench [-- --quick] [-- --profile]`: Preflight against the raw baseline on this machine, in one run.
 * Progress goes to stderr; the last line of stdout is one JSON object with the figures of design.md §11.
 * `npm run bench -- --trace`: only where the time goes: ✅ → step started (trace-approvals.ts), and one step's start → the
 * next's (trace-steps.ts).
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type CpuProfiler, startCpuProfile } from './bench-profile.ts';
import { ANN } from './bench-runbooks.ts';
import { median, round } from './bench-stats.ts';
import { startBenchWorld } from './bench-world.ts';
import {
  measureApprovals,
  measureCommandAcks,
  measureEscalationTimers,
  measureGatePrompts,
  startApprovalWarmUps,
} from './measure-chat.ts';
import { measureHistoryCosts, seedFinishedDeployments } from './measure-history.ts';
import { rssBreakdown, runStepRounds, settledRssMb } from './measure-memory.ts';
import { measureReplicaAck } from './measure-replica-ack.ts';
import { measureBurst, measureSolo } from './measure-steps.ts';
import {
  measureBareHttp,
  measureRawJobs,
  measureRawSerial,
  measureRawSpawn,
  measureRawThroughput,
} from './raw-baselines.ts';
import { traceApprovals } from './trace-approvals.ts';
import { traceSteps } from './trace-steps.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, profile: { type: 'boolean' }, trace: { type: 'boolean' } },
});
const quick = values.quick === true;
/** Worker concurrency of a default `preflight start` (job-system.ts): the raw baselines use the same. */
const CONCURRENCY = 50;
const size = quick
  ? {
      acks: 100,
      spawns: 30,
      gated: 4,
      approvals: 4,
      incidents: 5,
      burst: 30,
      memorySteps: 0,
      soloRounds: 1,
      history: 3,
      stored: 10_000,
    }
  : {
      acks: 300,
      spawns: 100,
      gated: 20,
      approvals: 20,
      incidents: 20,
      burst: 100,
      memorySteps: 10_000,
      soloRounds: 5,
      history: 9,
      stored: 10_000,
    };
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
const began = performance.now();
const phase = (name: string) => say(`${((performance.now() - began) / 1000).toFixed(1)} s  ${name}`);

const world = await startBenchWorld({ burstEnvironments: size.burst });
if (values.trace) {
  try {
    const rawSpawnMsP95 = await measureRawSpawn(size.spawns);
    say(`raw spawn p95 ${rawSpawnMsP95.toFixed(2)} ms (execa from a small process, the step's own clock)`);
    const traced = await traceApprovals(world, size.approvals, say);
    const cycles = await traceSteps(world, say);
    const out = Object.fromEntries(
      Object.entries({ rawSpawnMsP95, ...traced, ...cycles }).map(([k, v]) => [k, round(v)]),
    );
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await world.stop();
  }
  process.exit(0);
}
let profiler: CpuProfiler | undefined;
const figures: Record<string, number> = {};
try {
  if (values.profile) profiler = await startCpuProfile();
  phase('raw baselines: spawn, 50 execa runs back to back, bare HTTP');
  figures.rawSpawnMsP95 = await measureRawSpawn(size.spawns);
  figures.rawAckMsP99 = await measureBareHttp(size.acks, 'x'.repeat(600));
  phase('slash command acks through Bolt');
  figures.commandAckMsP99 = await measureCommandAcks(world, ANN, size.acks);
  phase(`one 50-step deployment, ${size.soloRounds} times, each beside 50 execa runs back to back`);
  // One run's median cycle moves by several ms with what else the machine does in those seconds (a chat send, a
  // collection); each round is paired with its own raw run, and the figures are the rounds' medians.
  const solos = [];
  for (let r = 0; r < size.soloRounds; r++) {
    const serial = await measureRawSerial(50);
    const solo = await measureSolo(world, ANN);
    solos.push({ overhead: solo.cycleMs - serial.medianMs, ratio: solo.spanMs / serial.totalMs, ...solo });
  }
  figures.stepOverheadMs = median(solos.map((s) => s.overhead));
  figures.stepOverheadRatio = median(solos.map((s) => s.ratio));
  figures.reportLagMs = median(solos.map((s) => s.reportLagMs));
  phase(`${size.gated} gated deployments at once in one channel`);
  const gates = await measureGatePrompts(world, ANN, size.gated);
  figures.gatePromptLagMsP95 = gates.lagMsP95;
  figures.gatePromptFloorMsP95 = gates.floorMsP95;
  phase('approvals → step started');
  const warmUps = await startApprovalWarmUps(world, ANN, size.gated);
  figures.approvalToStepMsP95 = await measureApprovals(
    world,
    ANN,
    gates.ids.slice(0, size.approvals),
    warmUps,
  );
  phase('approval confirmed: primary alone vs acknowledged by a replica (WAIT)');
  Object.assign(figures, await measureReplicaAck(size.approvals * 5));
  phase('escalation timers → PagerDuty');
  figures.timerLateMsP99 = await measureEscalationTimers(world, ANN, size.incidents);
  // A bot runs for days: its throughput is that of a process whose code is compiled for this load. The first burst
  // of the process warms it (its figure is kept beside), the second is the one measured.
  phase(`first burst: ${size.burst} concurrent deployments × 10 steps (warm-up)`);
  figures.stepsPerSecondFirstBurst = (await measureBurst(world, ANN, size.burst)).stepsPerSecond;
  // This machine's speed drifts by a quarter within minutes: the raw runner runs right before and right after the
  // measured burst, and the burst is read against the mean of the two (--quick: after it only).
  if (!quick) phase('raw throughput before the burst: execa at the same concurrency');
  const rawBefore = quick ? undefined : await measureRawThroughput(size.burst * 10, CONCURRENCY);
  phase(`burst: ${size.burst} concurrent deployments × 10 steps`);
  let rssBefore = await settledRssMb();
  const burst = await measureBurst(world, ANN, size.burst);
  phase('raw throughput after the burst');
  const rawAfter = await measureRawThroughput(burst.steps, CONCURRENCY);
  figures.stepsPerSecond = burst.stepsPerSecond;
  figures.relayLagMsP95 = burst.relayLagMsP95;
  figures.botCpuMsPerStep = burst.cpu.bot;
  figures.redisCpuMsPerStep = burst.cpu.redis;
  figures.launcherCpuMsPerStep = burst.cpu.launcher;
  figures.stepProcessCpuMsPerStep = burst.cpu.steps;
  let memorySteps = burst.steps;
  let pictures: number | undefined;
  if (size.memorySteps > 0) {
    // The burst was the warm-up at this concurrency (the heap's high-water mark is set); what grows from here on
    // is what the process keeps per step.
    rssBefore = await settledRssMb();
    say(`  before: ${rssBreakdown()}`);
    phase(`memory: ${size.memorySteps} more steps`);
    const rounds = await runStepRounds(world, ANN, size.burst, size.memorySteps);
    memorySteps = rounds.steps;
    pictures = rounds.pictures;
  }
  figures.memoryGrowthMb = (await settledRssMb()) - rssBefore;
  if (pictures !== undefined)
    say(`  after: ${rssBreakdown()}; ${pictures} report pictures posted to Slack during the rounds`);
  figures.memorySteps = memorySteps;
  const raws = rawBefore ? [rawBefore, rawAfter] : [rawAfter];
  figures.rawStepsPerSecond = raws.reduce((sum, r) => sum + r.perSecond, 0) / raws.length;
  if (rawBefore) figures.rawStepsPerSecondBefore = rawBefore.perSecond;
  figures.rawStepsPerSecondAfter = rawAfter.perSecond;
  figures.rawCpuMsPerStep = raws.reduce((sum, r) => sum + r.cpuMsPerStep, 0) / raws.length;
  phase('raw BullMQ throughput at the same concurrency');
  figures.rawJobsPerSecond = await measureRawJobs(world.redisUrl, quick ? 2_000 : 10_000, CONCURRENCY);
  phase('history: /metrics, /deploy status, /deploy start');
  const few = await measureHistoryCosts(world, ANN, size.history);
  const template = await world.preflight.engine.store.list({ limit: 1 });
  if (template[0]) await seedFinishedDeployments(world, template[0], size.stored);
  const many = await measureHistoryCosts(world, ANN, size.history);
  figures.metricsScrapeMs = few.metricsMs;
  figures.metricsScrapeMs10k = many.metricsMs;
  figures.statusReplyMs = few.statusMs;
  figures.statusReplyMs10k = many.statusMs;
  figures.startReplyMs = few.startMs;
  figures.startReplyMs10k = many.startMs;
  if (profiler) {
    await mkdir('.preflight', { recursive: true });
    const file = `.preflight/bench-${Date.now()}.cpuprofile`;
    const top = await profiler.stop(file);
    profiler = undefined;
    say(`CPU profile written to ${file} (open in Chrome DevTools); most self time:`);
    for (const line of top) say(`  ${line}`);
  }
  phase('done');
} finally {
  await world.stop();
}
const out = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)]));
process.stdout.write(`${JSON.stringify(out)}\n`);
