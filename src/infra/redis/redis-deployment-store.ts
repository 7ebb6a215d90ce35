/** DeploymentStore on Redis: deployments, audit logs, locks, dedupe markers, the outbox and live versions. */

import {
  auditHeadOf,
  type Clock,
  type Commit,
  type CommitOutcome,
  chainAudit,
  createKeySpace,
  type Deployment,
  type DeploymentStore,
  isFinal,
  type LockHolder,
  readAuditRecord,
} from '../../core/index.ts';
import { keepAuditHead, readAuditHead, readAuditTail } from './audit-head.ts';
import { createAuditTailCache } from './audit-tail-cache.ts';
import { COMMIT_SCRIPT } from './commit-script.ts';
import { createManualLocks } from './manual-locks.ts';
import type { RedisClient } from './redis-connector.ts';
import type { ReplicaAck } from './replica-ack.ts';
import { APPEND_AUDIT, APPEND_AUDIT_ONCE, runScript } from './store-scripts.ts';

/** KEYS: 1 the counter, 2 its given-back numbers. ARGV: 1 the number given back. */
const RELEASE_ID = `
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], 86400)
local top = redis.call('GET', KEYS[1])
while top and redis.call('SREM', KEYS[2], top) == 1 do
  top = tostring(redis.call('DECR', KEYS[1]))
end
return 0
`;

/** How long an audit append's `once` mark keeps a request handled again from writing it twice. */
const AUDIT_ONCE_SECONDS = 7 * 86_400;

export interface RedisDeploymentStoreDeps {
  readonly redis: RedisClient;
  /** Prepended to every key (default `pf:`). */
  readonly prefix?: string;
  readonly clock: Clock;
  /** Where commits a person will see confirmed go, and the replica acknowledgement they wait for. */
  readonly confirm?: ConfirmedWrites;
}

/** A connection of its own for confirmed commits, so WAIT never holds up the shared one. */
export interface ConfirmedWrites {
  readonly redis: RedisClient;
  readonly ack: ReplicaAck;
}

const EVENT_MARKER_TTL_S = 7 * 24 * 3600;
const OUTBOX_MAXLEN = 100_000;
const LIST_PAGE = 100;
const APPEND_ATTEMPTS = 20;

type LiveMode = '' | 'set' | 'own' | 'clear';

/** What the commit does to `live:<service>:<env>`, decided when the deployment enters a state. */
function liveChange(commit: Commit): { mode: LiveMode; version?: string } {
  const { before, after } = commit;
  if (before?.state === after.state) return { mode: '' };
  switch (after.state) {
    case 'monitoring':
      return { mode: 'set', version: after.version };
    case 'succeeded':
      // From monitoring it is live already; a later deployment may have gone live since, so only refresh our own.
      return { mode: before?.state === 'monitoring' ? 'own' : 'set', version: after.version };
    case 'rolled_back':
      return after.previousVersion === undefined
        ? { mode: 'clear' }
        : { mode: 'set', version: after.previousVersion };
    default:
      return { mode: '' };
  }
}

function parseHolder(raw: string): LockHolder {
  return JSON.parse(raw) as LockHolder;
}

/** Creates the Redis implementation of the DeploymentStore port. */
export function createRedisDeploymentStore(deps: RedisDeploymentStoreDeps): DeploymentStore {
  const { redis, clock } = deps;
  const keys = createKeySpace(deps.prefix ?? 'pf:');
  const tails = createAuditTailCache(redis);

  const auditTail = (id: string) => readAuditTail(redis, keys, id);
  const locks = createManualLocks({ redis, keys, clock, auditTail, markTtlS: EVENT_MARKER_TTL_S });

  /** Deployments of `index`, newest first, that pass `keep`, up to `limit`. */
  async function listIndex(
    index: string,
    limit = Number.POSITIVE_INFINITY,
    keep: (d: Deployment) => boolean,
  ): Promise<Deployment[]> {
    const found: Deployment[] = [];
    for (let start = 0; found.length < limit; start += LIST_PAGE) {
      const ids = await redis.zrevrange(index, start, start + LIST_PAGE - 1);
      if (ids.length === 0) break;
      const raws = await redis.mget(ids.map((id) => keys.deployment(id)));
      for (const raw of raws) {
        if (raw === null) continue;
        const deployment = JSON.parse(raw) as Deployment;
        if (!keep(deployment)) continue;
        found.push(deployment);
        if (found.length >= limit) break;
      }
    }
    return found;
  }

  let activeIndexReady = false;
  /** Data stored before the active index existed: index its unfinished deployments once. */
  async function ensureActiveIndex(): Promise<void> {
    if (activeIndexReady) return;
    if ((await redis.exists(keys.activeIndexBuilt)) === 0) {
      const active = await listIndex(keys.deploymentIndex(), undefined, (d) => !isFinal(d));
      if (active.length > 0)
        await redis.zadd(keys.activeIndex, ...active.flatMap((d) => [d.requestedAt, d.id]));
      await redis.set(keys.activeIndexBuilt, '1');
    }
    activeIndexReady = true;
  }

  /** Unfinished deployments from the active index: the cost follows what is running, not the history. */
  async function listActive(service: string | undefined, limit?: number): Promise<Deployment[]> {
    await ensureActiveIndex();
    const stale: string[] = [];
    const found = await listIndex(keys.activeIndex, limit, (d) => {
      if (isFinal(d)) stale.push(d.id);
      return !isFinal(d) && (service === undefined || d.service === service);
    });
    // A deployment indexed while it finished (during the one-time build) leaves the index here.
    if (stale.length > 0) await redis.zrem(keys.activeIndex, ...stale);
    return found;
  }

  return {
    async get(id) {
      const raw = await redis.get(keys.deployment(id));
      return raw === null ? undefined : (JSON.parse(raw) as Deployment);
    },

    async commit(commit: Commit): Promise<CommitOutcome> {
      const { before, after } = commit;
      if (before !== undefined && before.id !== after.id)
        throw new Error(`a commit cannot change a deployment's id (${before.id} → ${after.id})`);
      const cached = before === undefined ? undefined : tails.get(after.id, before.revision);
      const { last, length } = cached ?? (await auditTail(after.id));
      const records = chainAudit(after.id, last, commit.audit, commit.at);
      const live = liveChange(commit);
      const scriptKeys = [
        keys.deployment(after.id),
        keys.audit(after.id),
        keys.deploymentIndex(after.service),
        keys.deploymentIndex(),
        keys.lock(after.service, after.environment),
        keys.outbox,
        keys.event(commit.eventId ?? ''),
        keys.live(after.service, after.environment),
        keys.activeIndex,
        keys.auditHead(after.id),
      ];
      const args = [
        before === undefined ? '' : String(before.revision),
        length,
        JSON.stringify(after),
        after.id,
        after.requestedAt,
        commit.lock ?? '',
        clock.now(),
        commit.eventId ?? '',
        EVENT_MARKER_TTL_S,
        after.revision,
        commit.effects.length > 0 ? JSON.stringify(commit.effects) : '',
        OUTBOX_MAXLEN,
        live.mode,
        live.version === undefined ? '' : JSON.stringify({ version: live.version, deployment: after.id }),
        isFinal(after) ? '1' : '0',
        // The head is written with the records it names (audit-head.ts): there is no moment the two disagree.
        records.length > 0 ? JSON.stringify(auditHeadOf(records)) : '',
        ...records.map((r) => JSON.stringify(r)),
      ];
      const writer = commit.confirms && deps.confirm ? deps.confirm : undefined;
      const sent = runScript(writer?.redis ?? redis, COMMIT_SCRIPT, scriptKeys, args);
      // The replica count, when due for a fresh look, comes back with the write rather than a round trip after it.
      writer?.ack.prepare(keys.deployment(after.id));
      const reply = (await sent) as [string, string?];
      if (writer && reply[0] === 'committed') await writer.ack.confirm(keys.deployment(after.id));
      if (reply[0] !== 'committed' || isFinal(after)) tails.drop(after.id);
      else
        tails.set(after.id, after.revision, {
          last: records.at(-1) ?? last,
          length: length + records.length,
        });
      switch (reply[0]) {
        case 'committed':
          return { status: 'committed' };
        case 'duplicate':
          return { status: 'duplicate', deployment: reply[1] ?? after.id };
        case 'conflict':
          return { status: 'conflict' };
        case 'locked':
          return { status: 'locked', holder: parseHolder(reply[1] ?? '{}') };
        default:
          throw new Error(`unexpected reply from the commit script: ${JSON.stringify(reply)}`);
      }
    },

    async eventTarget(eventId) {
      return (await redis.get(keys.event(eventId))) ?? undefined;
    },

    async nextId(service) {
      return `${service}-${await redis.incr(keys.sequence(service))}`;
    },

    async releaseId(service, id) {
      // Given-back numbers wait in a set until the counter comes down to them: however the refused starts of a race
      // finish, the counter ends at the last number a deployment kept.
      await redis.eval(
        RELEASE_ID,
        2,
        keys.sequence(service),
        `${keys.sequence(service)}:free`,
        id.slice(service.length + 1),
      );
    },

    async list(filter) {
      if (filter.activeOnly) return await listActive(filter.service, filter.limit);
      return await listIndex(keys.deploymentIndex(filter.service), filter.limit, () => true);
    },

    async liveVersion(service, environment) {
      const raw = await redis.get(keys.live(service, environment));
      return raw === null ? undefined : (JSON.parse(raw) as { version: string; deployment: string });
    },

    async audit(id) {
      const raws = await redis.lrange(keys.audit(id), 0, -1);
      return raws.map(readAuditRecord);
    },

    async auditHead(id) {
      return await readAuditHead(redis, keys, id);
    },

    async appendAudit(id, entries, at, options = {}) {
      if (entries.length === 0) return true;
      const { once } = options;
      for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
        const { last, length } = await auditTail(id);
        const chained = chainAudit(id, last, entries, at);
        const records = chained.map((r) => JSON.stringify(r));
        const done =
          once === undefined
            ? await runScript(redis, APPEND_AUDIT, [keys.audit(id)], [length, ...records])
            : await runScript(
                redis,
                APPEND_AUDIT_ONCE,
                [keys.audit(id), keys.event(once)],
                [length, AUDIT_ONCE_SECONDS, ...records],
              );
        if (Number(done) === 2) return false;
        if (Number(done) === 1) {
          await keepAuditHead(redis, keys, id, chained);
          return true;
        }
      }
      throw new Error(`could not append to the audit log of ${id}: it kept changing`);
    },

    async lockHolder(service, environment) {
      const raw = await redis.get(keys.lock(service, environment));
      if (raw === null) return undefined;
      const holder = parseHolder(raw);
      return holder.kind === 'manual' && holder.expiresAt <= clock.now() ? undefined : holder;
    },

    lockManually: locks.lock,
    unlockManually: locks.unlock,

    async lockChangedBy(request, service, environment) {
      return (await redis.get(keys.event(request))) === keys.lock(service, environment);
    },
  };
}
