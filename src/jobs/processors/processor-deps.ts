/** What job processors need; wired in main.ts. */
import type {
  ChatPort,
  EmergencyRuns,
  EngineDeps,
  HealthProber,
  MessageIndex,
  Notifier,
  Pager,
  Platform,
  SecretSource,
  StepRunner,
  UnhandledInput,
} from '../../core/index.ts';
import type { HealthLog } from '../health-log.ts';
import type { RunLedger } from '../run-ledger.ts';
import type { StepCancellation } from '../step-cancellation.ts';

/** The subset of a pino logger the processors use. */
export interface JobLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ProcessorDeps {
  readonly engine: EngineDeps;
  readonly runner: StepRunner;
  /** One emergency stop at a time per service and environment, from a deployment or an incident. */
  readonly emergencyRuns: EmergencyRuns;
  readonly secrets: SecretSource;
  readonly ledger: RunLedger;
  readonly cancellation: StepCancellation;
  readonly notifier: Notifier;
  /** PagerDuty, when PAGERDUTY_ROUTING_KEY is set. */
  readonly pager?: Pager;
  readonly health: HealthProber;
  readonly monitoring: HealthLog;
  /** The folder a service's commands run in (its runbook's folder, or its `workdir`). */
  readonly workdirFor: (service: string) => string;
  readonly stepPath: string;
  readonly stepHome: string;
  readonly log: JobLogger;
  /** The chat input still to be applied: a timer due after some of it waits for it (core/chat/input-first.ts). */
  readonly input?: UnhandledInput;
  /**
   * The chat platforms this process serves: the port of one (once its adapter is up; undefined for a platform it
   * does not serve) and the message index, to read back what people answered on Preflight's messages.
   */
  readonly chat?: {
    port(platform: Platform): Promise<ChatPort | undefined>;
    readonly index: Pick<MessageIndex, 'find'>;
    /**
     * What a page due now waits for, at start: the platforms whose first read-back of reactions has not ended,
     * then (`endedAt`) what it recorded being applied; undefined when nothing (bot/first-read-backs.ts).
     */
    readBack?():
      | { readonly platforms: readonly Platform[]; readonly endedAt?: number }
      | undefined
      | Promise<{ readonly platforms: readonly Platform[]; readonly endedAt?: number } | undefined>;
  };
}
