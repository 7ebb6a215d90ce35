/**
 * Carries effects from the outbox (written in the same atomic commit as the state) to queues and chat. One
 * process leads at a time, so effects go out in commit order; entries a dead leader left are reclaimed.
 */
import type { IncidentEffect, OutboxEntry, OutboxSource } from '../core/index.ts';
import type { DeliverEffects } from './deliver-effects.ts';
import type { LeaderLock } from './leader-lock.ts';
import type { JobLogger } from './processors/processor-deps.ts';

export type { OutboxEntry, OutboxSource } from '../core/index.ts';

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Resolves when the relay has nothing left to deliver (tests and the demo wait on it). */
  idle(): Promise<void>;
}

const RECLAIM_IDLE_MS = 10_000;
/** Entries read at once: a burst is delivered in batches, not one by one. */
const BATCH = 200;

/** The commit time a stream id carries (Redis's clock, ms). */
function committedAt(streamId: string): number {
  return Number(streamId.split('-')[0]);
}

function groupByAggregate(entries: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const key =
      entry.incidentId !== undefined ? `incident:${entry.incidentId}` : `deployment:${entry.deploymentId}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

/** Creates the relay loop. */
export function createOutboxRelay(deps: {
  source: OutboxSource;
  deliver: DeliverEffects;
  deliverIncident: (id: string, effects: readonly IncidentEffect[]) => Promise<void>;
  leader: LeaderLock;
  log: JobLogger;
  /** Called after each entry is delivered with its lag: commit → delivered, ms. */
  observe?: (lagMs: number) => void;
}): OutboxRelay {
  let running = false;
  let loop: Promise<void> | undefined;
  let busy = false;

  /** One aggregate's entries, in commit order; stops at the first failure so later ones never overtake it. */
  const deliverInOrder = async (entries: readonly OutboxEntry[], delivered: string[]) => {
    for (const entry of entries) {
      try {
        if (entry.incidentId !== undefined)
          await deps.deliverIncident(entry.incidentId, entry.incidentEffects ?? []);
        else await deps.deliver(entry.deploymentId, entry.revision, entry.effects);
        delivered.push(entry.streamId);
        deps.observe?.(Date.now() - committedAt(entry.streamId));
      } catch (error) {
        deps.log.error(
          { err: error, deploymentId: entry.deploymentId, streamId: entry.streamId },
          'could not deliver effects; will retry',
        );
        return;
      }
    }
  };

  /** Different deployments and incidents in parallel, each in commit order; answers the ids delivered. */
  const deliverAll = async (entries: readonly OutboxEntry[]): Promise<string[]> => {
    const delivered: string[] = [];
    await Promise.all(
      [...groupByAggregate(entries).values()].map((group) => deliverInOrder(group, delivered)),
    );
    return delivered;
  };
  /** Delivered, not yet acknowledged: acknowledged with the next read (one round trip), or when the lead is lost or it stops. */
  let unacked: string[] = [];
  const ackNow = async () => {
    await deps.source.ack(...unacked);
    unacked = [];
  };
  const ackAndRead = async (blockMs: number, count: number): Promise<OutboxEntry[]> => {
    if (!deps.source.ackAndRead) {
      await ackNow();
      return deps.source.read(blockMs, count);
    }
    const entries = await deps.source.ackAndRead(unacked, blockMs, count);
    unacked = [];
    return entries;
  };

  const run = async () => {
    let lastReclaim = 0;
    while (running) {
      try {
        if (!(await deps.leader.acquire())) {
          await ackNow();
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        if (Date.now() - lastReclaim > RECLAIM_IDLE_MS / 2) {
          lastReclaim = Date.now();
          unacked.push(...(await deliverAll(await deps.source.reclaim(RECLAIM_IDLE_MS))));
        }
        const entries = await ackAndRead(500, BATCH);
        busy = entries.length > 0;
        // A commit's entry arrives with the commit's own reply: what the committer does next (the next step's start)
        // goes first, and the delivery after it, in the same turn.
        if (busy) await new Promise((resolve) => setImmediate(resolve));
        unacked = await deliverAll(entries);
        busy = false;
      } catch (error) {
        busy = false;
        if (running) {
          deps.log.warn({ err: error }, 'outbox relay: Redis unavailable, retrying');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
    // Stopping: what was delivered is acknowledged (left so, a later relay would deliver it again, harmlessly).
    await ackNow().catch(() => undefined);
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      await loop;
      await deps.leader.release().catch(() => undefined);
    },
    async idle() {
      while (busy) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
