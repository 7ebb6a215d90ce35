/**
 * Manual locks and rollback holds changed by a person (`/deploy lock`, `/deploy unlock`), each change written with
 * its audit records in one script (CHANGE_LOCK): a crash can never leave a lock taken or released without its
 * record. The records are chained onto the logs' tails read just before; when a log or the lock moved in between,
 * nothing is written and the change is tried again on a fresh read.
 */
import {
  auditHeadOf,
  type Clock,
  chainAudit,
  type KeySpace,
  type LockAudit,
  type LockHolder,
} from '../../core/index.ts';
import type { AuditTail } from './audit-tail-cache.ts';
import type { RedisClient } from './redis-connector.ts';
import { CHANGE_LOCK, runScript } from './store-scripts.ts';

const ATTEMPTS = 20;

export interface ManualLockDeps {
  readonly redis: RedisClient;
  readonly keys: KeySpace;
  readonly clock: Clock;
  readonly auditTail: (id: string) => Promise<AuditTail>;
  /** How long a request's mark names the lock it changed (a redelivered request finds it). */
  readonly markTtlS: number;
}

type ManualHolder = Extract<LockHolder, { kind: 'manual' }>;

/** The audit part of the script's keys and arguments: up to two logs, each with its expected length and head. */
async function auditArgs(deps: ManualLockDeps, lockLog: string, audit: LockAudit | undefined) {
  const { keys } = deps;
  const logs = audit === undefined ? [] : [lockLog, ...(audit.alsoIn !== undefined ? [audit.alsoIn] : [])];
  const parts = await Promise.all(
    logs.map(async (id) => {
      const { last, length } = await deps.auditTail(id);
      const records = chainAudit(id, last, audit?.entries ?? [], audit?.at ?? 0);
      return { id, length, head: auditHeadOf(records), records };
    }),
  );
  const scriptKeys: string[] = [];
  const args: (string | number)[] = [];
  for (let i = 0; i < 2; i++) {
    const part = parts[i];
    // An unused slot names a key of the same slot that the script does not touch.
    scriptKeys.push(keys.audit(part?.id ?? lockLog), keys.auditHead(part?.id ?? lockLog));
    args.push(
      part ? part.length : '',
      part?.head ? JSON.stringify(part.head) : '',
      part?.records.length ?? 0,
    );
  }
  return { scriptKeys, args, records: parts.flatMap((p) => p.records.map((r) => JSON.stringify(r))) };
}

/** Creates the store's lock and unlock. */
export function createManualLocks(deps: ManualLockDeps) {
  const { redis, keys, clock } = deps;

  const change = async (
    mode: 'lock' | 'unlock',
    service: string,
    environment: string,
    holderJson: string,
    ttlMs: number,
    request: string | undefined,
    audit: LockAudit | undefined,
  ) => {
    const lockKey = keys.lock(service, environment);
    const lockLog = `lock:${service}:${environment}`;
    const logged = await auditArgs(deps, lockLog, audit);
    const reply = (await runScript(
      redis,
      CHANGE_LOCK,
      [lockKey, keys.event(request ?? ''), ...logged.scriptKeys],
      [
        mode,
        holderJson,
        clock.now(),
        ttlMs,
        request === undefined ? '' : deps.markTtlS,
        ...logged.args,
        ...logged.records,
      ],
    )) as [string, string?];
    return { status: reply[0], holder: reply[1] };
  };

  return {
    async lock(
      service: string,
      environment: string,
      holder: ManualHolder,
      request?: string,
      audit?: LockAudit,
    ): Promise<LockHolder | undefined> {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const ttlMs = Math.ceil(holder.expiresAt - clock.now());
        if (ttlMs <= 0)
          throw new Error(`a manual lock must expire in the future (expiresAt ${holder.expiresAt})`);
        const done = await change(
          'lock',
          service,
          environment,
          JSON.stringify(holder),
          ttlMs,
          request,
          audit,
        );
        if (done.status === 'done') return undefined;
        if (done.status === 'held') return JSON.parse(done.holder ?? '{}') as LockHolder;
      }
      throw new Error(`could not lock ${service} ${environment}: its audit log kept changing`);
    },

    async unlock(
      service: string,
      environment: string,
      request?: string,
      audit?: (removed: Exclude<LockHolder, { kind: 'deployment' }>) => LockAudit,
    ): Promise<LockHolder | undefined> {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const raw = await redis.get(keys.lock(service, environment));
        if (raw === null) return undefined;
        const holder = JSON.parse(raw) as LockHolder;
        if (holder.kind === 'deployment') return undefined;
        const done = await change('unlock', service, environment, raw, 0, request, audit?.(holder));
        if (done.status === 'done') return holder;
        if (done.status === 'none') return undefined;
      }
      throw new Error(`could not unlock ${service} ${environment}: it kept changing`);
    },
  };
}
