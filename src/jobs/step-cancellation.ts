/** Cancelling running steps from any process: a Redis channel, plus a registry of this process's runs. */

import { createKeySpace } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export interface StepCancellation {
  /** Registers a run of a deployment; returns its signal and a function to unregister. */
  register(deploymentId: string): { signal: AbortSignal; done: () => void };
  /** Asks every process to cancel the deployment's running steps. */
  cancel(deploymentId: string, reason: string): Promise<void>;
  close(): Promise<void>;
}

/** Cancellation over a pub/sub channel. `subscriber` must be a dedicated connection. */
export async function createStepCancellation(deps: {
  publisher: RedisClient;
  subscriber: RedisClient;
  prefix: string;
}): Promise<StepCancellation> {
  const channel = createKeySpace(deps.prefix).cancelChannel;
  const running = new Map<string, Set<AbortController>>();
  const abortLocal = (deploymentId: string, reason: string) => {
    for (const controller of running.get(deploymentId) ?? []) controller.abort(new Error(reason));
  };
  deps.subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      const { deploymentId, reason } = JSON.parse(message) as { deploymentId: string; reason: string };
      abortLocal(deploymentId, reason);
    } catch {
      // A malformed message cancels nothing.
    }
  });
  await deps.subscriber.subscribe(channel);
  return {
    register(deploymentId) {
      const controller = new AbortController();
      const set = running.get(deploymentId) ?? new Set();
      set.add(controller);
      running.set(deploymentId, set);
      return {
        signal: controller.signal,
        done: () => {
          set.delete(controller);
          if (set.size === 0) running.delete(deploymentId);
        },
      };
    },
    async cancel(deploymentId, reason) {
      abortLocal(deploymentId, reason);
      await deps.publisher.publish(channel, JSON.stringify({ deploymentId, reason }));
    },
    async close() {
      await deps.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
