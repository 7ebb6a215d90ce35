/**
 * The fast lane for steps: the process that commits a change asking for a step adds the step's job at once,
 * instead of waiting for the outbox relay to carry it (a hop of its own, and a queue behind every other commit
 * in a burst). The relay still delivers the same effect from the outbox, so a job this lane failed to add is
 * added anyway; the job id names the commit, so adding it twice adds it once, and the step processor re-reads
 * the deployment before it runs anything.
 */
import type { Queue } from 'bullmq';
import type { DeploymentStore, StepStartOffer } from '../core/index.ts';
import { addStepJob } from './deliver-effects.ts';
import type { StartedSteps } from './job-system.ts';
import type { StepJob } from './job-types.ts';
import type { JobLogger } from './processors/processor-deps.ts';

export interface StepFastLane {
  /** The store, adding the step jobs of each commit as soon as it is committed. */
  wrap(store: DeploymentStore): DeploymentStore;
  /**
   * Starts adding (until then, and when there is no queue, the relay alone delivers); with `started`, steps this
   * process started in a person's commit run here at once, their jobs being their guards.
   */
  open(steps: Queue<StepJob>, log: JobLogger, now: () => number, started?: StartedSteps): void;
  /** An offer to start the step a person's action makes due in its commit (`EngineDeps.offerStepStart`). */
  offer(): StepStartOffer | undefined;
}

export function createStepFastLane(): StepFastLane {
  let lane:
    | { steps: Queue<StepJob>; log: JobLogger; now: () => number; started?: StartedSteps | undefined }
    | undefined;
  return {
    wrap(store) {
      return {
        ...store,
        async commit(commit) {
          const outcome = await store.commit(commit);
          if (outcome.status !== 'committed' || !lane) return outcome;
          const { steps, log, now, started } = lane;
          for (const effect of commit.effects) {
            if (effect.type !== 'run-step') continue;
            if (effect.runId !== undefined) started?.run(commit.after, effect);
            addStepJob(steps, commit.after.id, commit.after.revision, effect, now()).catch((error: unknown) =>
              log.debug({ err: error, deploymentId: commit.after.id }, 'step job left to the outbox relay'),
            );
          }
          return outcome;
        },
      };
    },
    open(steps, log, now, started) {
      lane = { steps, log, now, started };
    },
    offer: () => lane?.started?.offer(),
  };
}
