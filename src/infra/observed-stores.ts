/** Stores that tell Telemetry about every commit that went through (deployments by outcome, step and gate times). */
import type { DeploymentStore, IncidentStore, Telemetry } from '../core/index.ts';

/** The deployment store, reporting committed changes. */
export function observeDeploymentStore(store: DeploymentStore, telemetry: Telemetry): DeploymentStore {
  return {
    ...store,
    async commit(commit) {
      const outcome = await store.commit(commit);
      if (outcome.status === 'committed') telemetry.deploymentChanged(commit.before, commit.after);
      return outcome;
    },
  };
}

/** The incident store, reporting committed changes. */
export function observeIncidentStore(store: IncidentStore, telemetry: Telemetry): IncidentStore {
  return {
    ...store,
    async commit(commit) {
      const outcome = await store.commit(commit);
      if (outcome === 'committed') telemetry.incidentChanged(commit.before, commit.after);
      return outcome;
    },
  };
}
