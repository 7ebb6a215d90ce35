/**
 * Prometheus metrics for /metrics: what an operator needs to see Preflight keep up. Events arrive through the
 * Telemetry port (metrics-telemetry.ts); gauges that describe the present (queue depths, active deployments)
 * are read on each scrape by collectors the process adds.
 */
import client from 'prom-client';
import {
  FINAL_STATES,
  type GateStatus,
  type PagerTry,
  type Phase,
  type RefusalCounter,
  STEP_OUTCOMES,
  type Telemetry,
} from '../core/index.ts';
import { createTelemetry } from './metrics-telemetry.ts';

/** One gauge sample read at scrape time. */
/** How long a scrape waits for a gauge read from Redis (Prometheus's default scrape timeout is 10 s). */
const GAUGE_READ_MS = 2_000;

export interface GaugeSample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Metrics {
  readonly registry: client.Registry;
  readonly telemetry: Telemetry;
  /** Adds a gauge whose samples are read on every scrape (queue depths, deployments by state). */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: () => Promise<readonly GaugeSample[]>,
  ): void;
  /** Requests refused because of who asked (unknown person, missing permission, not an approver, own approval). */
  readonly refusals: RefusalCounter;
  /** One Alertmanager webhook request and what became of it (see WEBHOOK_OUTCOMES). */
  webhookHandled(outcome: WebhookOutcome): void;
  /**
   * Shows the counters an alert rule watches at 0 for what the runbooks name, before anything happens: a series
   * that first appears at 1 is not counted by `increase()`, so the first failure or escalation after a start would
   * never alert. The histograms get their known series at 0 too, so a dashboard after a restart shows no
   * observations rather than no data.
   */
  prime(known: KnownSeries): void;
  render(): Promise<{ contentType: string; body: string }>;
}

/** What the runbooks and chats name: the label values to show at 0. */
export interface KnownSeries {
  readonly services: readonly string[];
  /** Escalation level ids (L1, L2, …). */
  readonly levels: readonly string[];
  /** Chat platforms this process sends to. */
  readonly platforms: readonly string[];
  /** Whether this process pages through PagerDuty (PAGERDUTY_ROUTING_KEY is set). */
  readonly pagerduty: boolean;
  /** What each runbook can time: its step phases (rollback only with rollback steps), and whether it has gates. */
  readonly runbooks: readonly KnownRunbook[];
}

export interface KnownRunbook {
  readonly service: string;
  readonly phases: readonly Phase[];
  readonly gates: boolean;
}

/**
 * What became of an Alertmanager webhook request: taken whole; taken with alerts left out (their environment is
 * not in the runbook); refused for its bearer token, its body (not v4 JSON) or its size; cut off, its body not
 * arrived within the server's limit (answered 408); or not recorded while Redis is away. Alertmanager sends none of
 * these again but the last, so each one left out is an alert lost.
 */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'left_out',
  'unauthorized',
  'invalid',
  'too_large',
  'cut_off',
  'unavailable',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

const SEND_OUTCOMES = ['sent', 'drop', 'rate_limited', 'retry', 'unsure', 'refused'] as const;
const PAGER_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
const PAGER_TRIES: readonly PagerTry[] = ['sent', 'refused', 'rate_limited', 'failed'];
const GATE_OUTCOMES: readonly GateStatus[] = ['approved', 'rejected', 'expired'];

const SECONDS = { short: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] };

/** Creates the registry: process metrics and every Preflight family under `preflight_`. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'preflight_' });
  // prom-client names these gauges *_total, which Prometheus reserves for counters; the per-type gauges stay.
  for (const name of ['handles', 'requests', 'resources'])
    registry.removeSingleMetric(`preflight_nodejs_active_${name}_total`);
  const registers = [registry];
  const families = {
    deploymentsFinished: new client.Counter({
      name: 'preflight_deployments_finished_total',
      help: 'Deployments that reached a final state, by service and outcome (succeeded, failed, rolled_back, aborted, ...).',
      labelNames: ['service', 'outcome'] as const,
      registers,
    }),
    stepDuration: new client.Histogram({
      name: 'preflight_step_duration_seconds',
      help: 'How long step commands ran, by service, phase (deploy, rollback) and outcome.',
      labelNames: ['service', 'phase', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    gateWait: new client.Histogram({
      name: 'preflight_gate_wait_seconds',
      help: 'How long gates waited for people, from request to approval, rejection or expiry, by service and outcome.',
      labelNames: ['service', 'outcome'] as const,
      buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400],
      registers,
    }),
    incidentsOpened: new client.Counter({
      name: 'preflight_incidents_opened_total',
      help: 'Incidents opened, by service.',
      labelNames: ['service'] as const,
      registers,
    }),
    pages: new client.Counter({
      name: 'preflight_pages_total',
      help: 'Pages sent along the escalation ladder, by level (L1 is the first page; repeats count again).',
      labelNames: ['level'] as const,
      registers,
    }),
    escalations: new client.Counter({
      name: 'preflight_escalations_total',
      help: 'Pages past the first level or repeated because nobody acknowledged in time, by level.',
      labelNames: ['level'] as const,
      registers,
    }),
    outboxLag: new client.Histogram({
      name: 'preflight_outbox_lag_seconds',
      help: 'Commit to effects delivered (jobs added, messages queued) by the outbox relay.',
      buckets: SECONDS.short,
      registers,
    }),
    chatSends: new client.Counter({
      name: 'preflight_chat_sends_total',
      help: 'Chat send attempts, by platform and outcome (sent, drop, rate_limited, retry, unsure: a post that may have gone out could not be looked up, refused: the channel refuses Preflight, and the message waits for it).',
      labelNames: ['platform', 'outcome'] as const,
      registers,
    }),
    chatLag: new client.Histogram({
      name: 'preflight_chat_send_lag_seconds',
      help: 'Queued to sent, for chat messages, by platform.',
      labelNames: ['platform'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    commands: new client.Counter({
      name: 'preflight_chat_commands_total',
      help: 'Chat commands handled on every platform, by command (unknown for words that name none) and outcome (ok, refused, invalid, error).',
      labelNames: ['command', 'outcome'] as const,
      registers,
    }),
    pagerduty: new client.Counter({
      name: 'preflight_pagerduty_events_total',
      help: 'Tries to hand an event to the PagerDuty Events API, by action (trigger, acknowledge, resolve) and outcome (sent: answered 202; refused: a 4xx but 429, not retried, nobody is paged through PagerDuty for it; rate_limited: HTTP 429; failed: 5xx, a timeout or no answer, which PagerDuty may still take). Each try counts: an event sent again (after a failed try, a restart, or to acknowledge a page PagerDuty may take late) counts again, so these are not pages; preflight_pages_total counts pages.',
      labelNames: ['action', 'outcome'] as const,
      registers,
    }),
  };
  const accessRefusals = new client.Counter({
    name: 'preflight_access_refusals_total',
    help: 'Requests refused because of who asked, by action, input path and reason code.',
    labelNames: ['action', 'via', 'code'] as const,
    registers,
  });
  const webhooks = new client.Counter({
    name: 'preflight_alertmanager_webhooks_total',
    help: 'Alertmanager webhook requests, by outcome (accepted; left_out: taken, but alerts whose environment is not in the runbook were left out; unauthorized: no or wrong bearer token; invalid: not Alertmanager v4 JSON; too_large: over 1 MB; cut_off: its body did not arrive within 30 s, answered 408; unavailable: Redis away, Alertmanager sends it again). Alertmanager does not re-send a 4xx, so every one but unavailable is alerts lost.',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of WEBHOOK_OUTCOMES) webhooks.inc({ outcome }, 0);
  return {
    registry,
    telemetry: createTelemetry(families),
    webhookHandled: (outcome) => webhooks.inc({ outcome }),
    gauge(name, help, labelNames, read) {
      new client.Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers,
        async collect() {
          this.reset();
          // A gauge that cannot be read in time (Redis away) is left out, so the scrape still answers.
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<[]>((resolve) => {
            timer = setTimeout(() => resolve([]), GAUGE_READ_MS);
          });
          const samples = await Promise.race([read().catch(() => []), late]).finally(() =>
            clearTimeout(timer),
          );
          for (const sample of samples) this.set(sample.labels, sample.value);
        },
      });
    },
    refusals: { count: (r) => accessRefusals.inc({ action: r.action, via: r.via, code: r.code }) },
    prime({ services, levels, platforms, pagerduty, runbooks }) {
      for (const service of services) {
        families.incidentsOpened.inc({ service }, 0);
        for (const outcome of FINAL_STATES) families.deploymentsFinished.inc({ service, outcome }, 0);
      }
      for (const level of levels) {
        families.pages.inc({ level }, 0);
        families.escalations.inc({ level }, 0);
      }
      for (const platform of platforms) {
        families.chatLag.zero({ platform });
        for (const outcome of SEND_OUTCOMES) families.chatSends.inc({ platform, outcome }, 0);
      }
      for (const { service, phases, gates } of runbooks) {
        for (const phase of phases)
          for (const outcome of STEP_OUTCOMES) families.stepDuration.zero({ service, phase, outcome });
        if (gates) for (const outcome of GATE_OUTCOMES) families.gateWait.zero({ service, outcome });
      }
      if (pagerduty)
        for (const action of PAGER_ACTIONS)
          for (const outcome of PAGER_TRIES) families.pagerduty.inc({ action, outcome }, 0);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
