/** An in-process Preflight against a test Redis, with a temp folder for the runbook and its files. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readConfig } from '../../src/config/config.ts';
import {
  type ApplyOutcome,
  applyEvent,
  type Deployment,
  type DeploymentEvent,
  type Effect,
  type IncidentTopic,
  type RefusalCounter,
  startDeployment,
} from '../../src/core/index.ts';
import { createPreflight, type Preflight, type PreflightOptions } from '../../src/main.ts';
import { createTestPrefix } from './redis-server.ts';

export const FAST_TUNING = {
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  leaseMs: 1_500,
  reconcileEveryMs: 2_000,
  // A thread whose channel refused Preflight is tried again within a second, not a minute.
  chatRefusedMaxWaitMs: 1_000,
} as const;

export interface Harness {
  readonly preflight: Preflight;
  readonly dir: string;
  readonly prefix: string;
  /** Chat effects delivered, in order. */
  readonly deliveries: { deploymentId: string; effect: Extract<Effect, { type: 'post' | 'refresh' }> }[];
  readonly incidentDeliveries: {
    incidentId: string;
    effect: { type: 'post' | 'refresh'; topic: IncidentTopic };
  }[];
  /** Log lines written. */
  readonly logs: string[];
  start(version: string, by?: string, environment?: string): Promise<ApplyOutcome>;
  apply(id: string, event: DeploymentEvent): Promise<ApplyOutcome>;
  get(id: string): Promise<Deployment>;
  waitFor(id: string, predicate: (d: Deployment) => boolean, timeoutMs?: number): Promise<Deployment>;
  /** Lines of `runs.log` in the work folder (steps append to it). */
  runs(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly runbook: string;
  readonly redisUrl: string;
  readonly env?: Record<string, string>;
  readonly work?: boolean;
  readonly prefix?: string;
  readonly dir?: string;
  readonly tuning?: PreflightOptions['tuning'];
  /** More variables for the config (PROMETHEUS_URL, ALERTMANAGER_URL, PAGERDUTY_ROUTING_KEY, …). */
  readonly config?: Record<string, string>;
  /** Counts refusals, as /metrics does. */
  readonly refusals?: RefusalCounter;
}

/** Starts Preflight on a runbook written to a temp folder. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'preflight-engine-')));
  const runbookPath = join(dir, 'runbook.yaml');
  await writeFile(runbookPath, options.runbook);
  const prefix = options.prefix ?? createTestPrefix();
  const logs: string[] = [];
  const deliveries: Harness['deliveries'] = [];
  const incidentDeliveries: Harness['incidentDeliveries'] = [];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...options.env };
  const config = readConfig({
    REDIS_URL: options.redisUrl,
    RUNBOOK: runbookPath,
    LOG_LEVEL: 'debug',
    PATH: env.PATH,
    HOME: dir,
    ...options.config,
  });
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const preflightOptions: PreflightOptions = {
    config,
    env,
    work: options.work ?? true,
    prefix,
    tuning: options.tuning ?? FAST_TUNING,
    logDestination: destination,
    ...(options.refusals && { refusals: options.refusals }),
    notifier: () => ({
      deliver: async (deploymentId, effect) => {
        deliveries.push({ deploymentId, effect });
      },
      deliverIncident: async (incidentId, effect) => {
        incidentDeliveries.push({ incidentId, effect });
      },
    }),
  };
  const preflight = await createPreflight(preflightOptions);
  const harness: Harness = {
    preflight,
    dir,
    prefix,
    deliveries,
    incidentDeliveries,
    logs,
    start: (version, by = 'ann', environment) =>
      startDeployment(preflight.engine, {
        service: preflight.engine.runbooks.services()[0] ?? '',
        version,
        caller: { platform: 'console', userId: by, via: 'api' },
        ...(environment && { environment }),
      }),
    apply: (id, event) => applyEvent(preflight.engine, id, event),
    async get(id) {
      const d = await preflight.engine.store.get(id);
      if (!d) throw new Error(`no deployment ${id}`);
      return d;
    },
    async waitFor(id, predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Deployment | undefined;
      while (Date.now() < deadline) {
        last = await preflight.engine.store.get(id);
        if (last && predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `timed out waiting on ${id}; last state ${last?.state}: ${JSON.stringify(last?.steps)}`,
      );
    },
    async runs() {
      const text = await readFile(join(dir, 'runs.log'), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async stop() {
      await preflight.stop();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Passes a deployment's checklist and gates for a runbook using TEST_PEOPLE. */
export async function passGates(
  h: Harness,
  id: string,
  approvals: readonly [string, string][],
): Promise<void> {
  for (const [gate, by] of approvals) {
    const outcome = await h.apply(id, { type: 'gate.approve', gate, by });
    if (!outcome.ok) throw outcome.error;
  }
}
