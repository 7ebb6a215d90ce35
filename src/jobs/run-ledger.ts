/**
 * Per-run records next to the job: a lease the running worker keeps renewing (so a second worker can tell a
 * live run from a dead one), the step process id (to kill an orphan), and the result written before it is
 * applied (so a crash between "process exited" and "result recorded" loses nothing).
 */

import { createKeySpace, type StepResult } from '../core/index.ts';
import type { RedisClient } from './redis-client.ts';

export interface RunLedger {
  /**
   * Starts renewing the lease, from the next turn of the event loop; returns a function that stops renewing and
   * removes it. A job holds one lease for all the steps it chains: a chained run (`<job id>+<n>`) is covered by
   * its job's lease.
   */
  hold(runId: string): () => Promise<void>;
  /** True while the run's own lease or, for a chained run, its job's lease is held. */
  isHeld(runId: string): Promise<boolean>;
  saveProcess(runId: string, info: { host: string; pid: number }): Promise<void>;
  loadProcess(runId: string): Promise<{ host: string; pid: number } | undefined>;
  saveResult(runId: string, result: StepResult): Promise<void>;
  loadResult(runId: string): Promise<StepResult | undefined>;
  readonly leaseMs: number;
}

const DAY_S = 86_400;

/** The run id whose lease covers `runId`: its job's, for a run chained after it. */
const leaseHolderOf = (runId: string): string => runId.replace(/\+\d+$/, '');

/** A ledger in Redis, three keys per run. */
export function createRunLedger(deps: { redis: RedisClient; prefix: string; leaseMs: number }): RunLedger {
  const { redis, leaseMs } = deps;
  const key = createKeySpace(deps.prefix).run;
  return {
    leaseMs,
    hold(runId) {
      const renew = () => redis.set(key(runId, 'lease'), '1', 'PX', leaseMs).catch(() => undefined);
      // The first write goes once this turn of the event loop is done: the step the caller asks for in this turn
      // (its process requested from the step launcher) does not start behind a Redis write. Nothing reads the
      // lease that soon: a guard job comes due a lease after its start commit, and a job is looked at by another
      // worker only once its lock has run out.
      const first = setImmediate(renew);
      const timer = setInterval(renew, Math.max(200, Math.floor(leaseMs / 3)));
      timer.unref();
      return async () => {
        clearImmediate(first);
        clearInterval(timer);
        await redis.del(key(runId, 'lease'));
      };
    },
    async isHeld(runId) {
      const holder = leaseHolderOf(runId);
      const keys = holder === runId ? [key(runId, 'lease')] : [key(runId, 'lease'), key(holder, 'lease')];
      return (await redis.exists(...keys)) > 0;
    },
    async saveProcess(runId, info) {
      await redis.set(key(runId, 'proc'), JSON.stringify(info), 'EX', DAY_S);
    },
    async loadProcess(runId) {
      const text = await redis.get(key(runId, 'proc'));
      return text ? (JSON.parse(text) as { host: string; pid: number }) : undefined;
    },
    async saveResult(runId, result) {
      await redis.set(key(runId, 'result'), JSON.stringify(result), 'EX', DAY_S);
    },
    async loadResult(runId) {
      const text = await redis.get(key(runId, 'result'));
      return text ? (JSON.parse(text) as StepResult) : undefined;
    },
  };
}
