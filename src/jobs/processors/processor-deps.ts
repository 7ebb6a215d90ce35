/** What job processors need; wired in main.ts. */
import type {
  EngineDeps,
  HealthProber,
  Notifier,
  Pager,
  SecretSource,
  StepRunner,
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
}
