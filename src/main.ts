/** Composition root: config → logger → redis → stores → queues/workers. Adapters plug in on top (cli/). */
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { ChatLink } from './bot/chat-link.ts';
import { createDispatcher, type Dispatcher } from './bot/dispatch.ts';
import { createChatSender } from './bot/send/chat-sender.ts';
import type { Config } from './config/config.ts';
import { readRequiredEnv } from './config/config.ts';
import {
  type ChatPort,
  type Clock,
  createRedactor,
  type EngineDeps,
  type MessageIndex,
  type Notifier,
  type Platform,
  type Redactor,
  type RefusalCounter,
  type SecretSource,
  type Telemetry,
} from './core/index.ts';
import { createExecaStepRunner } from './infra/execa-step-runner.ts';
import { createHealthProber } from './infra/health/health-prober.ts';
import { logLibraryWarnings } from './infra/library-warnings.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { observeDeploymentStore, observeIncidentStore } from './infra/observed-stores.ts';
import { createPagerDutyPager, warnOfUnsetPagerDuty } from './infra/pagerduty-pager.ts';
import {
  createPngRenderer,
  type PngRenderer,
  type PngRendererOptions,
} from './infra/png-render/png-renderer.ts';
import { openRedis } from './infra/redis/open-redis.ts';
import { createOutboxReader } from './infra/redis/outbox-reader.ts';
import type { ConnectOptions, RedisClient, RedisConnector } from './infra/redis/redis-connector.ts';
import { createRedisDeploymentStore } from './infra/redis/redis-deployment-store.ts';
import { createRedisIncidentStore } from './infra/redis/redis-incident-store.ts';
import { createRedisMessageIndex } from './infra/redis/redis-message-index.ts';
import { createRedisReactionOrder } from './infra/redis/redis-reaction-order.ts';
import { createReplicaAck } from './infra/redis/replica-ack.ts';
import { createRunbookCatalog, loadRunbooks } from './infra/runbook-catalog.ts';
import { createStepLauncher } from './infra/step-launcher/step-launcher.ts';
import { type ChatInboxQueue, createChatInboxQueue } from './jobs/chat-inbox-queue.ts';
import { createChatNotifier } from './jobs/chat-notifier.ts';
import { type ChatSendQueue, createChatSendQueue } from './jobs/chat-send-queue.ts';
import { createJobSystem, type JobSystem, type JobSystemOptions } from './jobs/job-system.ts';
import { createStepFastLane } from './jobs/step-fast-lane.ts';

export const KEY_PREFIX = 'pf:';

export interface PreflightOptions {
  readonly config: Config;
  /** The process environment, read only for the runbooks' `requires.env` values. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Run workers and the outbox relay (false: enqueue only). */
  readonly work: boolean;
  /** Where chat effects go (tests); by default they go through the chat send queue. */
  readonly notifier?: (deps: { engine: EngineDeps; logger: Logger }) => Notifier;
  readonly clock?: Clock;
  /** Key prefix (tests give each case its own). */
  readonly prefix?: string;
  /** Where embedded Redis keeps its data when REDIS_URL is unset. */
  readonly embeddedRedisDir?: string;
  readonly tuning?: Pick<
    JobSystemOptions,
    'concurrency' | 'lockDurationMs' | 'stalledIntervalMs' | 'leaseMs' | 'reconcileEveryMs'
  >;
  readonly logDestination?: Parameters<typeof createLogger>[0]['destination'];
  /** Where events for /metrics go (`preflight start` passes its metrics); none by default. */
  readonly telemetry?: Telemetry;
  /** Counts refused requests (for /metrics). */
  readonly refusals?: RefusalCounter;
  /** Limits of the picture renderer process (tests); defaults in png-renderer.ts. */
  readonly pictures?: PngRendererOptions;
  /** False for commands that read only what Redis holds (`audit`): RUNBOOK is not read at all. */
  readonly readRunbooks?: boolean;
  /** Libraries' `console.warn` lines go into the log as JSON (the long-running commands). */
  readonly logLibraryWarnings?: boolean;
}

/** Chat for one process: adapters register their port, then `start()` begins sending. */
export interface ChatRuntime {
  readonly ports: Partial<Record<Platform, ChatPort>>;
  /** Adapters whose platform keeps a connection open to Preflight register it here (for /readyz). */
  readonly links: Partial<Record<Platform, () => ChatLink>>;
  readonly queue: ChatSendQueue;
  /** Incoming events, recorded before they are acknowledged; adapters `serve` their platform's entries. */
  readonly inbox: ChatInboxQueue;
  readonly dispatcher: Dispatcher;
  readonly index: MessageIndex;
  readonly notifier: Notifier;
}

export interface Preflight {
  readonly engine: EngineDeps & { readonly secrets: SecretSource };
  readonly chat: ChatRuntime;
  readonly jobs: JobSystem;
  readonly redis: RedisClient;
  readonly connector: RedisConnector;
  /** Draws the reports' timeline pictures in a helper process. */
  readonly pictures: PngRenderer;
  /** Whether pages also go to PagerDuty (PAGERDUTY_ROUTING_KEY is set). */
  readonly pagerDuty: boolean;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly prefix: string;
  connect(options?: ConnectOptions): RedisClient;
  /**
   * True when Preflight has nothing of its own left to do now: no checklist check, step, verification or rollback
   * under way and no chat message waiting to be sent. Deployments waiting for people (gates, decisions) or being
   * monitored do not count.
   */
  settled(): Promise<boolean>;
  /**
   * Stops handling, waits for running jobs, then closes Redis; `beforeClose` runs just before that (the HTTP server,
   * which keeps recording chat requests and answering /readyz while the running jobs finish).
   */
  stop(options?: { readonly beforeClose?: () => Promise<void> }): Promise<void>;
}

const BUSY_STATES = new Set(['scheduled', 'running', 'verifying', 'rolling_back']);

/** How long closing a part that only holds short work may take before the stop goes on without it. */
const SHORT_STOP_MS = 15_000;

/** Waits for `closing`, at most `ms`; then logs which part did not close and goes on. */
export async function boundedStop(
  part: string,
  closing: Promise<void>,
  log: Pick<Logger, 'warn'>,
  ms = SHORT_STOP_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    if ((await Promise.race([closing, late])) === 'late')
      log.warn(
        { part, waitedMs: ms },
        'a part did not close in time; stopping without it (its work is handled again elsewhere)',
      );
  } finally {
    clearTimeout(timer);
  }
}

function secretSource(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return {
    missing: (names) => names.filter((n) => env[n] === undefined || env[n] === ''),
    values: (names) => readRequiredEnv(env, names),
  };
}

/** Wires Preflight's core, stores and job system for one process. */
export async function createPreflight(options: PreflightOptions): Promise<Preflight> {
  const { config } = options;
  const prefix = options.prefix ?? KEY_PREFIX;
  const files = options.readRunbooks === false ? [] : await loadRunbooks(config.runbookPath);
  const required = [...new Set(files.flatMap((f) => f.runbook.requires?.env ?? []))];
  const secrets = secretSource(options.env);
  const redactor = createRedactor({
    secrets: [...config.ownSecrets, ...Object.values(secrets.values(required))],
  });
  const logger = createLogger({
    level: config.logLevel,
    redactor,
    ...(options.logDestination && { destination: options.logDestination }),
  });
  if (options.logLibraryWarnings) logLibraryWarnings(logger);
  if (options.work && !config.pagerduty) warnOfUnsetPagerDuty(files, logger);
  const { connector, redis, connect, close } = await openRedis({
    target: config.redis,
    ...(options.embeddedRedisDir !== undefined && { embeddedDir: options.embeddedRedisDir }),
    env: options.env,
    logger,
  });
  const clock = options.clock ?? { now: () => Date.now() };
  const confirmer = connect();
  const confirm = { redis: confirmer, ack: createReplicaAck({ redis: confirmer, log: logger }) };
  const telemetry = options.telemetry;
  const rawStore = createRedisDeploymentStore({ redis, prefix, clock, confirm });
  const fastLane = createStepFastLane();
  const store = fastLane.wrap(telemetry ? observeDeploymentStore(rawStore, telemetry) : rawStore);
  const runbooks = createRunbookCatalog({ redis, prefix, files });
  const rawIncidents = createRedisIncidentStore({ redis, prefix, confirm });
  const incidents = telemetry ? observeIncidentStore(rawIncidents, telemetry) : rawIncidents;
  const engine = {
    store,
    incidents,
    runbooks,
    clock,
    secrets,
    redactor,
    ...(options.refusals && { refusals: options.refusals }),
  };
  const index = createRedisMessageIndex({ redis, prefix });
  const ports: Partial<Record<Platform, ChatPort>> = {};
  // Pictures are drawn in a helper process, never on this process's event loop (png-renderer.ts).
  const pictures = createPngRenderer({ log: logger, ...options.pictures });
  const queue = createChatSendQueue({
    connect,
    prefix,
    send: createChatSender({ ports, engine, index, renderPng: pictures.render, log: logger }),
    minIntervalMs: (channel) => (channel.startsWith('console:') ? 0 : 1_000),
    serves: (channel) => ports[channel.split(':')[0] as Platform] !== undefined,
    log: logger,
    ...(telemetry && { observe: telemetry.chatSent }),
  });
  const notifier: Notifier =
    options.notifier?.({ engine, logger }) ?? createChatNotifier({ queue, engine, redis });
  const dispatcher = createDispatcher({
    services: { engine, notifier },
    index,
    log: logger,
    ports,
    reactionOrder: createRedisReactionOrder({ redis, prefix }),
    ...(telemetry && { telemetry }),
  });
  // Recording must fail fast while Redis is away, so a request is never acknowledged on a guess.
  const producer = connect({ failFast: true });
  const inbox = createChatInboxQueue({
    connect,
    producer,
    prefix,
    log: logger,
    redactor,
    ...(options.tuning?.lockDurationMs !== undefined && { lockDurationMs: options.tuning.lockDurationMs }),
    ...(options.tuning?.stalledIntervalMs !== undefined && {
      stalledIntervalMs: options.tuning.stalledIntervalMs,
    }),
  });
  const workdirs = new Map(
    files.map((f) => [f.runbook.service, resolve(dirname(f.file), f.runbook.workdir ?? '.')]),
  );
  const outboxRedis = connect();
  const launcher = createStepLauncher();
  if (options.work) launcher.warm();
  const jobs = await createJobSystem({
    connect,
    prefix,
    work: options.work,
    outbox: createOutboxReader({
      redis: outboxRedis,
      ack: createReplicaAck({ redis: outboxRedis, log: logger }),
      prefix,
      group: 'relay',
      consumer: `${hostname()}:${process.pid}`,
    }),
    deps: {
      engine,
      runner: createExecaStepRunner({ redactor, spawn: launcher.spawn }),
      secrets,
      notifier,
      ...(config.pagerduty && {
        pager: createPagerDutyPager({
          routingKey: config.pagerduty.routingKey,
          eventsUrl: config.pagerduty.eventsUrl,
          log: logger,
          ...(telemetry && { observe: telemetry.pagerTried }),
        }),
      }),
      health: createHealthProber({
        ...(config.prometheusUrl !== undefined && { prometheusUrl: config.prometheusUrl }),
        ...(config.alertmanagerUrl !== undefined && { alertmanagerUrl: config.alertmanagerUrl }),
      }),
      workdirFor: (service) => workdirs.get(service) ?? process.cwd(),
      stepPath: config.stepPath,
      stepHome: config.stepHome,
      log: logger,
    },
    ...options.tuning,
    ...(telemetry && { observeOutbox: telemetry.outboxDelivered }),
  });
  fastLane.open(jobs.queues.steps, logger, clock.now);
  return {
    engine,
    chat: { ports, links: {}, queue, inbox, dispatcher, index, notifier },
    jobs,
    redis,
    connector,
    pictures,
    pagerDuty: config.pagerduty !== undefined,
    logger,
    redactor,
    prefix,
    connect,
    async settled() {
      const active = await store.list({ activeOnly: true, limit: 200 });
      const busy = active.some(
        (d) =>
          (BUSY_STATES.has(d.state) && !d.paused && !(d.state === 'rolling_back' && !d.rollback?.started)) ||
          (d.state === 'checklist' && d.checklist.some((c) => c.status === 'running')),
      );
      if (busy) return false;
      const counts = await Promise.all(
        [jobs.queues.steps, jobs.queues.checks].map((q) =>
          q.getJobCounts('active', 'waiting', 'prioritized'),
        ),
      );
      if (counts.some((c) => Object.values(c).some((n) => n > 0))) return false;
      if ((await inbox.pending()) > 0) return false;
      await jobs.relay.idle();
      return (await queue.pending()) === 0;
    },
    async stop(options = {}) {
      // The inbox's handlers and the send queue's sends are short: one that hangs (a connection re-made during a
      // failover that never answers) must not keep the running steps from being waited for and the process from
      // ending. What is left is handled again by another process, as after a crash.
      await boundedStop('the chat inbox', inbox.close(), logger);
      await boundedStop('the chat send queue', queue.stop(), logger);
      await jobs.close();
      await launcher.close();
      await pictures.close();
      await options.beforeClose?.();
      await close();
    },
  };
}
