/** The queues, workers and relay of one process. `preflight worker` runs this alone; `preflight start` too. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import {
  createKeySpace,
  type Deployment,
  type Effect,
  findStep,
  type IncidentEffect,
  type StepStartOffer,
} from '../core/index.ts';
import { createEffectDelivery, type EffectQueues } from './deliver-effects.ts';
import { deliverIncidentEffects } from './deliver-incident-effects.ts';
import { createHealthLog, type HealthLog } from './health-log.ts';
import { createInboxBacklog } from './inbox-backlog.ts';
import { type CheckJob, QUEUE_NAMES, type StepJob, type TimerJob } from './job-types.ts';
import { createLeaderLock } from './leader-lock.ts';
import { createOutboxRelay, type OutboxRelay, type OutboxSource } from './outbox-relay.ts';
import { createCheckProcessor } from './processors/check-run.ts';
import type { ProcessorDeps } from './processors/processor-deps.ts';
import { createStepProcessor } from './processors/step-run.ts';
import { createTimerProcessor } from './processors/timer-run.ts';
import { readDelayedOverdueMs } from './queue-overdue.ts';
import { reconcileDeployments } from './reconcile.ts';
import type { RedisClient } from './redis-client.ts';
import { createRunLedger } from './run-ledger.ts';
import { createStepCancellation, type StepCancellation } from './step-cancellation.ts';
import { createThrottledWarn } from './throttled-log.ts';

export interface JobSystemOptions {
  /** A new Redis connection (each worker and subscriber needs its own). */
  readonly connect: () => RedisClient;
  /** Key prefix, e.g. `pf:`. */
  readonly prefix: string;
  readonly deps: Omit<ProcessorDeps, 'ledger' | 'cancellation' | 'monitoring' | 'input'>;
  readonly outbox: OutboxSource;
  /** False for a producer-only process (no workers, no relay). */
  readonly work?: boolean;
  readonly concurrency?: { readonly steps?: number; readonly checks?: number; readonly timers?: number };
  /** How long a crashed worker's jobs stay locked (lower in tests). */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly leaseMs?: number;
  readonly reconcileEveryMs?: number;
  /** Told each delivered commit's lag (commit → effects delivered, ms). */
  readonly observeOutbox?: (lagMs: number) => void;
}

export interface JobSystem {
  readonly queues: EffectQueues;
  readonly cancellation: StepCancellation;
  readonly health: HealthLog;
  readonly relay: OutboxRelay;
  /** In a process that works: steps started in its own commits of people's actions, run here at once. */
  readonly startedSteps?: StartedSteps;
  /** True when every worker is running (for /readyz). */
  ready(): boolean;
  /** By queue name: how many ms its earliest delayed job is past its time (queue-overdue.ts). */
  overdueMs(now: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Steps a person's action started in this process's commit (`StepStartOffer`), run without a job hand-over. */
export interface StartedSteps {
  /** An offer for one action's commit; none once the process is stopping. */
  offer(): StepStartOffer | undefined;
  /** Runs the step a committed guard names, when this process started it. */
  run(deployment: Deployment, guard: Extract<Effect, { type: 'run-step' }>): void;
}

/** Creates queues and, unless `work` is false, workers and the outbox relay. */
export async function createJobSystem(options: JobSystemOptions): Promise<JobSystem> {
  const { prefix } = options;
  // While Redis is away every queue and worker reports each reconnect attempt: one line per 30 s each.
  const warnOnce = createThrottledWarn(options.deps.log);
  const shared = options.connect();
  const connection = shared as unknown as ConnectionOptions;
  const keys = createKeySpace(prefix);
  const bull = { connection, prefix: keys.queuePrefix };
  const defaultJobOptions = {
    removeOnComplete: { age: 86_400, count: 50_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
  };
  const queues: EffectQueues = {
    steps: new Queue<StepJob>(QUEUE_NAMES.steps, { ...bull, defaultJobOptions }),
    checks: new Queue<CheckJob>(QUEUE_NAMES.checks, { ...bull, defaultJobOptions }),
    timers: new Queue<TimerJob>(QUEUE_NAMES.timers, { ...bull, defaultJobOptions }),
  };
  const subscriber = options.connect();
  const cancellation = await createStepCancellation({ publisher: shared, subscriber, prefix });
  const health = createHealthLog({ redis: shared, prefix, now: () => options.deps.engine.clock.now() });
  const ledger = createRunLedger({ redis: shared, prefix, leaseMs: options.leaseMs ?? 15_000 });
  const input = createInboxBacklog(connection, keys.queuePrefix);
  const deps: ProcessorDeps = { ...options.deps, ledger, cancellation, monitoring: health, input };
  const deliver = createEffectDelivery({
    queues,
    cancellation,
    notifier: deps.notifier,
    engine: deps.engine,
  });
  const leader = createLeaderLock({
    redis: shared,
    key: keys.relayLeader,
    id: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2)}`,
    ttlMs: 5_000,
  });
  const deliverIncident = (id: string, effects: readonly IncidentEffect[]) =>
    deliverIncidentEffects(
      {
        timers: queues.timers,
        checks: queues.checks,
        notifier: deps.notifier,
        engine: deps.engine,
        ...(deps.pager && { pager: deps.pager }),
      },
      id,
      effects,
    );
  const relay = createOutboxRelay({
    source: options.outbox,
    deliver,
    deliverIncident,
    leader,
    log: deps.log,
    ...(options.observeOutbox && { observe: options.observeOutbox }),
  });
  const workers: Worker[] = [];
  let closing = false;
  const stepRuns = createStepProcessor(deps, () => !closing);
  const host = hostname();
  const runningHere = new Set<Promise<void>>();
  const startedSteps: StartedSteps = {
    offer: () =>
      closing
        ? undefined
        : { runId: `now-${randomUUID()}`, pid: process.pid, host, guardAfterMs: ledger.leaseMs },
    run(deployment, guard) {
      const step = findStep(deployment, guard.phase, guard.step);
      if (guard.runId === undefined || step?.runId !== guard.runId || step.pid !== process.pid) return;
      const done = stepRuns
        .runStarted(deployment, guard.phase, guard.runId)
        .catch((err: unknown) => deps.log.warn({ err, runId: guard.runId }, 'step started here failed'))
        .finally(() => runningHere.delete(done));
      runningHere.add(done);
    },
  };
  let reconciler: NodeJS.Timeout | undefined;
  if (options.work !== false) {
    // A step keeps a 30 s lock (renewed every 15 s while it runs, so load does not lose it); the check for locks
    // that ran out comes every 10 s, so a step whose process was killed is found 30–40 s later, not 30–60 s.
    const workerOptions = {
      prefix: bull.prefix,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 10_000,
      maxStalledCount: 3,
    };
    // Pages, escalation deadlines and health checks are short jobs whose lateness people feel: a process that dies
    // holding one hands it on after 10–15 s, not a minute (BullMQ renews the lock of a job still running).
    const promptOptions = {
      ...workerOptions,
      lockDuration: options.lockDurationMs ?? 10_000,
      stalledInterval: options.stalledIntervalMs ?? 5_000,
    };
    const onStale = async (job: Job<CheckJob>) => {
      if (job.repeatJobKey) await queues.checks.removeJobScheduler(job.repeatJobKey);
    };
    workers.push(
      new Worker(QUEUE_NAMES.steps, stepRuns.processStep, {
        ...workerOptions,
        connection: options.connect() as unknown as ConnectionOptions,
        concurrency: options.concurrency?.steps ?? 50,
      }),
      new Worker(QUEUE_NAMES.checks, createCheckProcessor(deps, onStale), {
        ...promptOptions,
        connection: options.connect() as unknown as ConnectionOptions,
        concurrency: options.concurrency?.checks ?? 20,
      }),
      new Worker(QUEUE_NAMES.timers, createTimerProcessor(deps), {
        ...promptOptions,
        connection: options.connect() as unknown as ConnectionOptions,
        concurrency: options.concurrency?.timers ?? 20,
      }),
    );
    for (const worker of workers)
      worker.on('error', (err) =>
        warnOnce(`worker:${worker.name}`, { err, queue: worker.name }, 'worker error'),
      );
    relay.start();
    const every = options.reconcileEveryMs ?? 30_000;
    reconciler = setInterval(() => {
      void leader
        .acquire()
        .then((lead) => (lead ? reconcileDeployments({ engine: deps.engine, queues }) : 0))
        .catch((err: unknown) => deps.log.warn({ err }, 'reconcile failed'));
    }, every);
    reconciler.unref();
  }
  for (const queue of Object.values(queues))
    (queue as Queue).on('error', (err) =>
      warnOnce(`queue:${(queue as Queue).name}`, { err, queue: (queue as Queue).name }, 'queue error'),
    );
  return {
    queues,
    cancellation,
    health,
    relay,
    ...(options.work !== false && { startedSteps }),
    ready: () => workers.every((w) => w.isRunning()),
    async overdueMs(now) {
      const all = Object.values(queues) as Queue[];
      const late = await Promise.all(all.map((q) => readDelayedOverdueMs(shared, q, now)));
      return Object.fromEntries(all.map((q, i) => [q.name, late[i] ?? 0]));
    },
    async close() {
      closing = true;
      if (reconciler) clearInterval(reconciler);
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      // Steps started here end their chain at the step they run (no new offers are made once closing).
      while (runningHere.size > 0) await Promise.allSettled([...runningHere]);
      await Promise.all(Object.values(queues).map((q) => (q as Queue).close()));
      await input.close();
      await cancellation.close();
      subscriber.disconnect();
      shared.disconnect();
    },
  };
}
