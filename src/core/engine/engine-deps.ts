/**
 * What the engine functions work through: the stores, the pinned runbooks, the clock, the redactor, the refusal
 * counter.
 */

import type { StepStartOffer } from '../deployment/events.ts';
import type { EmergencyRuns } from '../emergency-runs-port.ts';
import type { IncidentStore } from '../incident-store-port.ts';
import type { Clock, DeploymentStore, RunbookCatalog } from '../ports.ts';
import type { Redactor } from '../redact/redactor.ts';
import type { RefusalCounter } from '../telemetry-ports.ts';

export interface EngineDeps {
  readonly store: DeploymentStore;
  readonly incidents: IncidentStore;
  readonly runbooks: RunbookCatalog;
  readonly clock: Clock;
  /**
   * The redactor chat posts and log lines pass (known secret values and patterns): text from outside that the engine
   * keeps (reasons, notes, incident titles and health) passes it before it is stored, audited or sent on.
   */
  readonly redactor: Redactor;
  /** Counts refusals for /metrics (each is audited either way). */
  readonly refusals?: RefusalCounter;
  /**
   * In a process that runs steps: an offer to start, in the commit of a person's action, the step that action
   * makes due now (the process runs it at once instead of through a job hand-over).
   */
  readonly offerStepStart?: () => StepStartOffer | undefined;
  /** The emergency stop under way on a service and environment, whoever asked: a second is answered as not run. */
  readonly emergencyRuns?: Pick<EmergencyRuns, 'holder'>;
}
