/**
 * Waits until a replica holds what a connection wrote (Redis WAIT), so a failover right after a person sees their
 * approval, ack or decision confirmed cannot lose it. A primary without replicas is not waited on.
 *
 * WAIT counts the writes of the connection it is sent on, so it is pipelined behind a command on the key the write
 * touched: with Redis Cluster that routes it to the same node (and connection) as the write.
 */
import type { RedisClient } from './redis-connector.ts';

export interface ReplicaAckResult {
  /** Replicas the primary had. */
  readonly replicas: number;
  /** Replicas that confirmed within the timeout (0 when there were none to wait for). */
  readonly acked: number;
}

export interface ReplicaAck {
  /**
   * Called as a write is sent: when the count of replicas is due for a fresh look, asks for it now, so the answer
   * comes back with the write's instead of one round trip after it.
   */
  prepare(key: string): void;
  /** Waits (up to the timeout) until a replica holds every earlier write of this connection. */
  confirm(key: string): Promise<ReplicaAckResult>;
}

export interface ReplicaAckLog {
  warn(obj: object, msg?: string): void;
}

const REPLICAS_TTL_MS = 5_000;
export const REPLICA_ACK_TIMEOUT_MS = 1_000;

type Replies = [Error | null, unknown][] | null;

function replicasIn(role: unknown): number {
  if (!Array.isArray(role) || role[0] !== 'master') return 0;
  return Array.isArray(role[2]) ? role[2].length : 0;
}

/** A waiter on one connection (give it the connection the confirming writes went through). */
export function createReplicaAck(deps: {
  readonly redis: RedisClient;
  readonly timeoutMs?: number;
  readonly log: ReplicaAckLog;
}): ReplicaAck {
  const timeoutMs = deps.timeoutMs ?? REPLICA_ACK_TIMEOUT_MS;
  let known: { replicas: number; at: number } | undefined;
  /** A look asked for by `prepare`, not yet used by `confirm`. */
  let looking: Promise<number> | undefined;
  let lookDone = false;

  async function look(key: string): Promise<number> {
    const replies = (await deps.redis.pipeline().exists(key).role().exec()) as Replies;
    const [, role] = replies?.[1] ?? [];
    known = { replicas: replicasIn(role), at: Date.now() };
    return known.replicas;
  }
  const fresh = () => known !== undefined && Date.now() - known.at < REPLICAS_TTL_MS;

  async function replicas(key: string): Promise<number> {
    const asked = looking;
    looking = undefined;
    // A look asked for as the write went out is used while it is fresh (a failed one is asked again here).
    if (asked) await asked.catch(() => undefined);
    if (known && fresh()) return known.replicas;
    return await look(key);
  }

  return {
    prepare(key) {
      if (fresh() || (looking && !lookDone)) return;
      lookDone = false;
      const asked = look(key);
      looking = asked;
      // A failure is met by `confirm`, which looks again.
      asked
        .catch(() => undefined)
        .finally(() => {
          if (looking === asked) lookDone = true;
        });
    },
    async confirm(key) {
      const count = await replicas(key);
      if (count === 0) return { replicas: 0, acked: 0 };
      const replies = (await deps.redis.pipeline().exists(key).wait(1, timeoutMs).exec()) as Replies;
      const [error, acked] = replies?.[1] ?? [new Error('no reply to WAIT'), 0];
      if (error) throw error;
      if (Number(acked) < 1) {
        // The replica set may have changed (a failover, a replica gone): look again next time.
        known = undefined;
        deps.log.warn(
          { key, replicas: count, timeoutMs },
          'no replica confirmed a write in time; a failover now could lose it',
        );
      }
      return { replicas: count, acked: Number(acked) };
    },
  };
}
