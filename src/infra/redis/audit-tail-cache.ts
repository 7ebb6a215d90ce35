/**
 * The audit log's tail as this process last committed it, per deployment: a commit from the revision this process
 * wrote skips reading the tail back. The commit script still checks the log's length, so an entry another writer
 * made stale only conflicts (the entry is then dropped and the tail read again). Entries are forgotten when the
 * connection drops (a restarted Redis may have lost the writes they describe) and past `max` deployments.
 */
import type { AuditRecord } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

export interface AuditTail {
  readonly last: AuditRecord | undefined;
  readonly length: number;
}

export interface AuditTailCache {
  /** The tail after the commit that wrote `revision`, if this process made it. */
  get(id: string, revision: number): AuditTail | undefined;
  set(id: string, revision: number, tail: AuditTail): void;
  drop(id: string): void;
}

export function createAuditTailCache(redis: RedisClient, max = 512): AuditTailCache {
  const entries = new Map<string, { readonly revision: number; readonly tail: AuditTail }>();
  redis.on('close', () => entries.clear());
  return {
    get(id, revision) {
      const entry = entries.get(id);
      return entry?.revision === revision ? entry.tail : undefined;
    },
    set(id, revision, tail) {
      entries.delete(id);
      entries.set(id, { revision, tail });
      if (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    drop(id) {
      entries.delete(id);
    },
  };
}
