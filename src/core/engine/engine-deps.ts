/** What the engine functions work through: the stores, the pinned runbooks, the clock, the refusal counter. */
import type { Clock, DeploymentStore, IncidentStore, RunbookCatalog } from '../ports.ts';
import type { RefusalCounter } from '../telemetry-ports.ts';

export interface EngineDeps {
  readonly store: DeploymentStore;
  readonly incidents: IncidentStore;
  readonly runbooks: RunbookCatalog;
  readonly clock: Clock;
  /** Counts refusals for /metrics (each is audited either way). */
  readonly refusals?: RefusalCounter;
}
