/**
 * A safety net for effects lost with the last writes before a Redis crash: re-enqueues the work active
 * deployments are waiting for. Jobs it adds are ordinary jobs; processors ignore those that are stale.
 */
import type { EngineDeps } from '../core/index.ts';
import type { EffectQueues } from './deliver-effects.ts';
import { jobId } from './job-types.ts';

/** Re-enqueues waiting steps, running checklist checks and pending verification of active deployments. */
export async function reconcileDeployments(deps: {
  engine: EngineDeps;
  queues: EffectQueues;
}): Promise<number> {
  const now = deps.engine.clock.now();
  let added = 0;
  for (const d of await deps.engine.store.list({ activeOnly: true, limit: 500 })) {
    const phases = [
      ['deploy', d.steps],
      ['rollback', d.rollback?.started ? d.rollback.steps : []],
    ] as const;
    for (const [phase, steps] of phases) {
      for (const s of steps.filter((x) => x.status === 'waiting' && !d.paused)) {
        await deps.queues.steps.add(
          'step.run',
          { deploymentId: d.id, phase, step: s.id, attempt: s.attempt },
          {
            jobId: jobId('st', d.id, phase, s.id, s.attempt, 'rec'),
            delay: Math.max(0, (s.notBefore ?? now) - now),
          },
        );
        added++;
      }
    }
    if (d.state === 'checklist') {
      for (const item of d.checklist.filter((i) => i.status === 'running')) {
        await deps.queues.checks.add(
          'checklist.run',
          { kind: 'checklist', deploymentId: d.id, item: item.id },
          { jobId: jobId('cl', d.id, item.id, 'rec') },
        );
        added++;
      }
    }
    if (d.state === 'verifying') {
      await deps.queues.checks.add(
        'deployment.verify',
        { kind: 'verify', deploymentId: d.id },
        { jobId: jobId('vf', d.id, `rec${d.revision}`) },
      );
      added++;
    }
  }
  return added;
}
