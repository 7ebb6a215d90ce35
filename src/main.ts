/** Composition root: config → logger → redis → stores → queues/workers. Adapters plug in on top (cli/). */
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { createSendHealth } from './bot/chat-send-health.ts';
import { createDispatcher } from './bot/dispatch.ts';
import { createChatSender } from './bot/send/chat-sender.ts';
import { boundedStop } from './bounded-stop.ts';
import {
  type ChatPort,
  createKeySpace,
  createLearningRedactor,
  type Notifier,
  type Platform,
  type SecretSource,
} from './core/index.ts';
import { createExecaStepRunner } from './infra/execa-step-runner.ts';
import { createHealthProber } from './infra/health/health-prober.ts';
import { logLibraryWarnings } from './infra/library-warnings.ts';
import { createLogger } from './infra/logger.ts';
import { observeDeploymentStore, observeIncidentStore } from './infra/observed-stores.ts';
import { createPagerDutyPager, warnOfOddRoutingKey, warnOfUnsetPagerDuty } from './infra/pagerduty-pager.ts';
import { createPngRenderer } from './infra/png-render/png-renderer.ts';
import { openRedis } from './infra/redis/open-redis.ts';
import { outboxUndelivered } from './infra/redis/outbox-backlog.ts';
import { createOutboxReader } from './infra/redis/outbox-reader.ts';
import { watchRedisData } from './infra/redis/redis-data-watch.ts';
import { createRedisDeploymentStore } from './infra/redis/redis-deployment-store.ts';
import { createRedisDispatchStores } from './infra/redis/redis-dispatch-stores.ts';
import { createRedisEmergencyRuns } from './infra/redis/redis-emergency-runs.ts';
import { createRedisIncidentStore } from './infra/redis/redis-incident-store.ts';
import { createRedisMessageIndex } from './infra/redis/redis-message-index.ts';
import { createRedisNoticeLimit } from './infra/redis/redis-notice-limit.ts';
import { createRedisReadBackMark } from './infra/redis/redis-read-back-mark.ts';
import { createReplicaAck } from './infra/redis/replica-ack.ts';
import { createRunbookCatalog, loadRunbooks } from './infra/runbook-catalog.ts';
import { createStepLauncher } from './infra/step-launcher/step-launcher.ts';
import { createChatInboxQueue } from './jobs/chat-inbox-queue.ts';
import { createChatNotifier } from './jobs/chat-notifier.ts';
import { createChatSendQueue } from './jobs/chat-send-queue.ts';
import { workDueTimers } from './jobs/due-timers.ts';
import { createJobSystem } from './jobs/job-system.ts';
import { createStepFastLane } from './jobs/step-fast-lane.ts';
import type { Preflight, PreflightOptions } from './preflight-types.ts';
import { secretSource } from './secret-source.ts';
import { createStartWaits } from './start-waits.ts';

export const KEY_PREFIX = 'pf:';

export type { ChatRuntime, Preflight, PreflightOptions } from './preflight-types.ts';

/** The outbox relay's consumer group. */
const OUTBOX_GROUP = 'relay';

const BUSY_STATES = new Set(['scheduled', 'running', 'verifying', 'rolling_back']);

/** Wires Preflight's core, stores and job system for one process. */
export async function createPreflight(options: PreflightOptions): Promise<Preflight> {
  const { config } = options;
  const { chatRefusedMaxWaitMs, pagerTimeoutMs, ...jobTuning } = options.tuning ?? {};
  const prefix = options.prefix ?? KEY_PREFIX;
  const files = options.readRunbooks === false ? [] : await loadRunbooks(config.runbookPath);
  const required = [...new Set(files.flatMap((f) => f.runbook.requires?.env ?? []))];
  const fromEnv = secretSource(options.env);
  const redactor = createLearningRedactor({
    secrets: [...config.ownSecrets, ...Object.values(fromEnv.values(required))],
  });
  // A step of a deployment under the runbook it started with may be handed variables the files no longer require.
  const secrets: SecretSource = {
    ...fromEnv,
    values: (names) => {
      const values = fromEnv.values(names);
      redactor.learn(Object.values(values));
      return values;
    },
  };
  const logger = createLogger({
    level: config.logLevel,
    redactor,
    ...(options.logDestination && { destination: options.logDestination }),
  });
  if (options.logLibraryWarnings) logLibraryWarnings(logger);
  if (options.work && !config.pagerduty) warnOfUnsetPagerDuty(files, logger);
  if (options.work && config.pagerduty) warnOfOddRoutingKey(config.pagerduty.routingKey, logger);
  const { connector, redis, connect, close } = await openRedis({
    target: config.redis,
    ...(options.embeddedRedisDir !== undefined && { embeddedDir: options.embeddedRedisDir }),
    env: options.env,
    logger,
    ...(options.warn && { warn: options.warn }),
  });
  const redisData = await watchRedisData({ redis, key: createKeySpace(prefix).dataMark, logger });
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
  const emergencyRuns = createRedisEmergencyRuns({ redis, prefix });
  const engine = {
    store,
    incidents,
    runbooks,
    clock,
    secrets,
    redactor,
    emergencyRuns,
    ...(options.refusals && { refusals: options.refusals }),
    offerStepStart: () => fastLane.offer(),
  };
  const index = createRedisMessageIndex({ redis, prefix });
  const ports: Partial<Record<Platform, ChatPort>> = {};
  // Pictures are drawn in a helper process, never on this process's event loop (png-renderer.ts).
  const pictures = createPngRenderer({ log: logger, ...options.pictures });
  const sends = createSendHealth();
  const queue = createChatSendQueue({
    connect,
    prefix,
    send: createChatSender({
      ports,
      engine,
      index,
      renderPng: pictures.render,
      log: logger,
      noteIncident: (incidentId, key, text) =>
        notifier.deliverIncident(incidentId, { type: 'post', topic: { kind: 'note', key, text } }),
    }),
    minIntervalMs: (channel) => (channel.startsWith('console:') ? 0 : 1_000),
    serves: (channel) => ports[channel.split(':')[0] as Platform] !== undefined,
    log: logger,
    ...(chatRefusedMaxWaitMs !== undefined && { refusedWaits: { maxMs: chatRefusedMaxWaitMs } }),
    observe(platform, outcome, lagMs, reason) {
      sends.observe(platform, outcome, reason);
      telemetry?.chatSent(platform, outcome, lagMs);
    },
  });
  const notifier: Notifier =
    options.notifier?.({ engine, logger }) ?? createChatNotifier({ queue, engine, redis });
  const noticeLimit = createRedisNoticeLimit({ redis, prefix });
  const dispatcher = createDispatcher({
    services: { engine, notifier, messages: index, ports },
    index,
    log: logger,
    ports,
    ...createRedisDispatchStores({ redis, prefix }),
    noticeLimit,
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
  // A page due at start (the bot was down) waits, bounded, for the chat platforms to be up and read back reactions.
  // Shared in Redis, so a page due in another process (a worker) waits for this bot's first read-back too.
  const readBackMark = createRedisReadBackMark({ redis, prefix, log: logger });
  const startWaits = createStartWaits({
    platforms: options.readBackPlatforms ?? [],
    ports,
    log: logger,
    // Taking this process's entry away as it stops may fail (Redis gone): the entry expires at its bound anyway.
    share: (state) =>
      void readBackMark.publish(state).catch((error: Error) => {
        if (state)
          logger.warn(
            { err: error.message },
            'could not share the read-back of reactions in Redis: a worker may page before it ends',
          );
      }),
  });
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
      group: OUTBOX_GROUP,
      consumer: `${hostname()}:${process.pid}`,
    }),
    deps: {
      engine,
      runner: createExecaStepRunner({ redactor, spawn: launcher.spawn }),
      emergencyRuns,
      secrets,
      notifier,
      ...(config.pagerduty && {
        pager: createPagerDutyPager({
          routingKey: config.pagerduty.routingKey,
          eventsUrl: config.pagerduty.eventsUrl,
          log: logger,
          ...(pagerTimeoutMs !== undefined && { timeoutMs: pagerTimeoutMs }),
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
      chat: {
        port: startWaits.port,
        index,
        readBack: async () => startWaits.readBacks.awaited() ?? (await readBackMark.awaited()),
      },
    },
    ...jobTuning,
    ...(telemetry && { observeOutbox: telemetry.outboxDelivered }),
  });
  fastLane.open(jobs.queues.steps, logger, clock.now, jobs.startedSteps);
  return {
    engine,
    chat: {
      ports,
      links: {},
      sends,
      queue,
      inbox,
      dispatcher,
      index,
      notifier,
      noticeLimit,
      readBacks: startWaits.readBacks,
    },
    jobs,
    redis,
    redisData,
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
    async workDueTimers(withinMs) {
      startWaits.giveUp();
      const done = await workDueTimers(
        {
          redis,
          timers: jobs.queues.timers,
          checks: jobs.queues.checks,
          outboxUndelivered: () => outboxUndelivered(redis, createKeySpace(prefix).outbox, OUTBOX_GROUP),
        },
        withinMs,
      );
      if (!done) logger.warn({ withinMs }, 'timers still due when stopping; the next process works them');
    },
    async stop(options = {}) {
      startWaits.giveUp();
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
