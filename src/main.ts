/** Composition root: config → logger → redis → stores → queues/workers. Adapters plug in on top (cli/). */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
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
  type SecretSource,
} from './core/index.ts';
import { EMBEDDED_REDIS_DIR, type RedisServer, startRedisServer } from './infra/embedded-redis.ts';
import { createExecaStepRunner } from './infra/execa-step-runner.ts';
import { createHealthProber } from './infra/health/health-prober.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { createPagerDutyPager } from './infra/pagerduty-pager.ts';
import { createOutboxReader } from './infra/redis/outbox-reader.ts';
import { createRedisDeploymentStore } from './infra/redis/redis-deployment-store.ts';
import { checkRedisDurability } from './infra/redis/redis-durability.ts';
import { createRedisIncidentStore } from './infra/redis/redis-incident-store.ts';
import { createRedisMessageIndex } from './infra/redis/redis-message-index.ts';
import { waitForRedis } from './infra/redis/wait-for-redis.ts';
import { createRunbookCatalog, loadRunbooks } from './infra/runbook-catalog.ts';
import { renderPng } from './infra/timeline-png.ts';
import { type ChatInboxQueue, createChatInboxQueue } from './jobs/chat-inbox-queue.ts';
import { createChatNotifier } from './jobs/chat-notifier.ts';
import { type ChatSendQueue, createChatSendQueue } from './jobs/chat-send-queue.ts';
import { createJobSystem, type JobSystem, type JobSystemOptions } from './jobs/job-system.ts';

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
}

/** Chat for one process: adapters register their port, then `start()` begins sending. */
export interface ChatRuntime {
  readonly ports: Partial<Record<Platform, ChatPort>>;
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
  readonly redis: Redis;
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly prefix: string;
  connect(): Redis;
  /**
   * True when Preflight has nothing of its own left to do now: no checklist check, step, verification or rollback
   * under way and no chat message waiting to be sent. Deployments waiting for people (gates, decisions) or being
   * monitored do not count.
   */
  settled(): Promise<boolean>;
  stop(): Promise<void>;
}

const BUSY_STATES = new Set(['scheduled', 'running', 'verifying', 'rolling_back']);

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
  const files = await loadRunbooks(config.runbookPath);
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
  let embedded: RedisServer | undefined;
  let redisUrl = config.redisUrl;
  if (redisUrl === undefined) {
    const dir = resolve(options.embeddedRedisDir ?? EMBEDDED_REDIS_DIR);
    await mkdir(dir, { recursive: true });
    embedded = await startRedisServer({ dir, env: options.env });
    redisUrl = embedded.url;
    logger.info({ dir, port: embedded.port }, 'started embedded Redis');
  }
  const url = redisUrl;
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    connection.on('error', (err) => logger.debug({ err: err.message }, 'redis connection error'));
    connections.push(connection);
    return connection;
  };
  const redis = connect();
  try {
    await waitForRedis(redis, url);
  } catch (error) {
    for (const connection of connections) connection.disconnect();
    await embedded?.stop();
    throw error;
  }
  if (embedded === undefined) {
    // Someone else's Redis: say at start if it would drop or forget what Preflight keeps there.
    for (const finding of await checkRedisDurability(redis)) {
      logger.warn({ setting: finding.setting }, finding.message);
    }
  }
  const clock = options.clock ?? { now: () => Date.now() };
  const store = createRedisDeploymentStore({ redis, prefix, clock });
  const runbooks = createRunbookCatalog({ redis, prefix, files });
  const incidents = createRedisIncidentStore({ redis, prefix });
  const engine = { store, incidents, runbooks, clock, secrets };
  const index = createRedisMessageIndex({ redis, prefix });
  const ports: Partial<Record<Platform, ChatPort>> = {};
  const queue = createChatSendQueue({
    connect,
    prefix,
    send: createChatSender({ ports, engine, index, renderPng }),
    minIntervalMs: (channel) => (channel.startsWith('console:') ? 0 : 1_000),
    serves: (channel) => ports[channel.split(':')[0] as Platform] !== undefined,
    log: logger,
  });
  const notifier: Notifier = options.notifier?.({ engine, logger }) ?? createChatNotifier({ queue, engine });
  const dispatcher = createDispatcher({ services: { engine, notifier }, index, log: logger });
  // Recording must fail fast while Redis is away, so a request is never acknowledged on a guess.
  const producer = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  producer.on('error', (err) => logger.debug({ err: err.message }, 'redis connection error'));
  connections.push(producer);
  const inbox = createChatInboxQueue({
    connect,
    producer,
    prefix,
    log: logger,
    ...(options.tuning?.lockDurationMs !== undefined && { lockDurationMs: options.tuning.lockDurationMs }),
    ...(options.tuning?.stalledIntervalMs !== undefined && {
      stalledIntervalMs: options.tuning.stalledIntervalMs,
    }),
  });
  const workdirs = new Map(
    files.map((f) => [f.runbook.service, resolve(dirname(f.file), f.runbook.workdir ?? '.')]),
  );
  const jobs = await createJobSystem({
    connect,
    prefix,
    work: options.work,
    outbox: createOutboxReader({
      redis: connect(),
      prefix,
      group: 'relay',
      consumer: `${hostname()}:${process.pid}`,
    }),
    deps: {
      engine,
      runner: createExecaStepRunner({ redactor }),
      secrets,
      notifier,
      ...(config.pagerduty && {
        pager: createPagerDutyPager({
          routingKey: config.pagerduty.routingKey,
          eventsUrl: config.pagerduty.eventsUrl,
          log: logger,
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
  });
  return {
    engine,
    chat: { ports, queue, inbox, dispatcher, index, notifier },
    jobs,
    redis,
    redisUrl: url,
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
    async stop() {
      await inbox.close();
      await queue.stop();
      await jobs.close();
      for (const connection of connections) connection.disconnect();
      await embedded?.stop();
    },
  };
}
