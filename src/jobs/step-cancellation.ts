/** Cancelling running steps from any process: a Redis channel, plus a registry of this process's runs. */

import { createKeySpace } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export interface StepCancellation {
  /**
   * Registers a run of a deployment, started by the commit at `revision`; returns its signal and a function to
   * unregister.
   */
  register(deploymentId: string, revision?: number): { signal: AbortSignal; done: () => void };
  /**
   * Asks every process to cancel the deployment's steps started before the commit at `revision` that asked for
   * it (all of them without one). A step started after it was started knowing of the cancellation (the first step
   * of a rollback, say, added at once by the step fast lane while the relay still carries the cancellation).
   */
  cancel(deploymentId: string, reason: string, revision?: number): Promise<void>;
  close(): Promise<void>;
}

/** Cancellation over a pub/sub channel. `subscriber` must be a dedicated connection. */
export async function createStepCancellation(deps: {
  publisher: RedisClient;
  subscriber: RedisClient;
  prefix: string;
}): Promise<StepCancellation> {
  const channel = createKeySpace(deps.prefix).cancelChannel;
  interface Run {
    readonly controller: AbortController;
    readonly revision: number | undefined;
  }
  const running = new Map<string, Set<Run>>();
  const abortLocal = (deploymentId: string, reason: string, revision: number | undefined) => {
    for (const run of running.get(deploymentId) ?? []) {
      const startedBefore = revision === undefined || run.revision === undefined || run.revision < revision;
      if (startedBefore) run.controller.abort(new Error(reason));
    }
  };
  deps.subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      const { deploymentId, reason, revision } = JSON.parse(message) as {
        deploymentId: string;
        reason: string;
        revision?: number;
      };
      abortLocal(deploymentId, reason, typeof revision === 'number' ? revision : undefined);
    } catch {
      // A malformed message cancels nothing.
    }
  });
  await deps.subscriber.subscribe(channel);
  return {
    register(deploymentId, revision) {
      const run = { controller: new AbortController(), revision };
      const set = running.get(deploymentId) ?? new Set();
      set.add(run);
      running.set(deploymentId, set);
      return {
        signal: run.controller.signal,
        done: () => {
          set.delete(run);
          if (set.size === 0) running.delete(deploymentId);
        },
      };
    },
    async cancel(deploymentId, reason, revision) {
      abortLocal(deploymentId, reason, revision);
      await deps.publisher.publish(channel, JSON.stringify({ deploymentId, reason, revision }));
    },
    async close() {
      await deps.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
