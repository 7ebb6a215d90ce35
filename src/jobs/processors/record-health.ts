/** A deployment's health results kept in its health log, each change of state in its audit log. */
import type { Deployment, HealthResult } from '../../core/index.ts';
import { stateOf } from '../health-log.ts';
import type { ProcessorDeps } from './processor-deps.ts';

/** Records results; a check that changed state is written to the deployment's audit log. */
export async function recordHealth(
  deps: ProcessorDeps,
  deployment: Deployment,
  results: readonly HealthResult[],
): Promise<void> {
  await deps.monitoring.record(deployment.id, results, async (changed) => {
    await deps.engine.store.appendAudit(
      deployment.id,
      [
        {
          type: 'health.changed',
          actor: 'preflight',
          detail: { checks: changed.map((r) => ({ id: r.id, state: stateOf(r), detail: r.detail })) },
        },
      ],
      deps.engine.clock.now(),
    );
  });
}
