/**
 * IncidentStore on Redis: `inc:<id>` JSON, `audit:<id>` chained records, `incs` index, and the open incident of
 * each deployment (`incdep:<deployment>`) or of a service and environment without one (`incsvc:<service>:<env>`).
 */

import {
  type AuditRecord,
  alertKey,
  alertsAddedBy,
  auditHeadOf,
  chainAudit,
  createKeySpace,
  type Incident,
  type IncidentStore,
  readAuditRecord,
} from '../../core/index.ts';
import { INCIDENT_COMMIT_SCRIPT } from './incident-commit-script.ts';
import type { RedisClient } from './redis-connector.ts';
import type { ConfirmedWrites } from './redis-deployment-store.ts';
import { CLEAR_RESOLVED_MARKS, runScript } from './store-scripts.ts';

const OUTBOX_MAXLEN = 100_000;
/**
 * How long a reported alert firing is remembered after its last report: Alertmanager re-sends a group every
 * repeat_interval (4 h by default), and each poll or re-send of a firing still active remembers it again.
 */
const ALERT_TTL_S = 7 * 86_400;
/** How long firings below a trigger's min are remembered after the last such notification (Alertmanager re-sends a firing group every repeat_interval, 4 h by default). */
const BELOW_MIN_TTL_S = 86_400;

/** The number in an id this store hands out (`INC-7` → 7). */
const numberOf = (id: string): string => /^INC-(\d+)$/.exec(id)?.[1] ?? '';

/** Creates the Redis implementation of the IncidentStore port. */
export function createRedisIncidentStore(deps: {
  redis: RedisClient;
  prefix?: string;
  confirm?: ConfirmedWrites;
}): IncidentStore {
  const { redis } = deps;
  const keys = createKeySpace(deps.prefix ?? 'pf:');
  const get = async (id: string) => {
    const raw = await redis.get(keys.incident(id));
    return raw === null ? undefined : (JSON.parse(raw) as Incident);
  };
  const scopeKey = (i: Pick<Incident, 'deploymentId' | 'service' | 'environment'>) =>
    i.deploymentId !== undefined
      ? keys.incidentOf(i.deploymentId)
      : keys.incidentOfService(i.service, i.environment);
  async function reportedAlerts(
    service: string,
    environment: string,
    alerts: readonly string[],
  ): Promise<ReadonlySet<string>> {
    if (alerts.length === 0) return new Set();
    const batch = redis.multi();
    for (const a of alerts) {
      // EXPIRE answers whether the mark exists and keeps it while the firing is still reported.
      batch.expire(keys.alertFiring(service, environment, alertKey(a)), ALERT_TTL_S);
      // Marks of the webhook before both paths shared them (named by the webhook's own startsAt).
      batch.exists(keys.seen(`alertmanager:${service}:${environment}:${a}`));
    }
    const replies = (await batch.exec()) ?? [];
    return new Set(alerts.filter((_, i) => replies[2 * i]?.[1] === 1 || replies[2 * i + 1]?.[1] === 1));
  }

  return {
    get,
    async nextId() {
      // Taken only by the commit that writes the incident (incident-commit-script.ts).
      return `INC-${Number((await redis.get(keys.sequence('incident'))) ?? 0) + 1}`;
    },
    async commit(commit) {
      const { before, after, audit, effects, at } = commit;
      const auditKey = keys.audit(after.id);
      const [lastRaw, length] = await Promise.all([redis.lindex(auditKey, -1), redis.llen(auditKey)]);
      const last = lastRaw === null ? undefined : (JSON.parse(lastRaw) as AuditRecord);
      const records = chainAudit(after.id, last, audit, at);
      // A service's declared incident that a deployment's trigger joined becomes that deployment's (its link moves).
      const linking =
        before !== undefined && before.deploymentId === undefined && after.deploymentId !== undefined;
      const link = after.state === 'resolved' ? 'clear' : linking ? 'link' : 'set';
      const writer = commit.confirms && deps.confirm ? deps.confirm : undefined;
      const reply = await runScript(
        writer?.redis ?? redis,
        INCIDENT_COMMIT_SCRIPT,
        [
          keys.incident(after.id),
          auditKey,
          keys.incidentIndex,
          keys.outbox,
          scopeKey(after),
          keys.sequence('incident'),
          keys.auditHead(after.id),
          keys.incidentOfService(after.service, after.environment),
          keys.deploymentIncidentsOf(after.service, after.environment),
          ...alertsAddedBy(before, after).map((a) =>
            keys.alertFiring(after.service, after.environment, alertKey(a)),
          ),
        ],
        [
          before === undefined ? '' : String(before.revision),
          length,
          JSON.stringify(after),
          after.id,
          after.openedAt,
          after.revision,
          effects.length > 0 ? JSON.stringify(effects) : '',
          OUTBOX_MAXLEN,
          link,
          before === undefined ? numberOf(after.id) : '',
          // The head is written with the records it names (audit-head.ts): there is no moment the two disagree.
          records.length > 0 ? JSON.stringify(auditHeadOf(records)) : '',
          ALERT_TTL_S,
          ...records.map((r) => JSON.stringify(r)),
        ],
      );
      if (typeof reply === 'string' && reply.startsWith('exists:')) return { exists: reply.slice(7) };
      if (reply === 'resolved') return 'resolved';
      if (reply !== 'committed') return 'conflict';
      if (writer) await writer.ack.confirm(keys.incident(after.id));
      return 'committed';
    },
    async list({ openOnly, service, limit = 20 }) {
      const ids = await redis.zrevrange(keys.incidentIndex, 0, 499);
      const out: Incident[] = [];
      for (const id of ids) {
        const incident = await get(id);
        if (
          !incident ||
          (openOnly && incident.state === 'resolved') ||
          (service && incident.service !== service)
        )
          continue;
        out.push(incident);
        if (out.length >= limit) break;
      }
      return out;
    },
    async openFor(deploymentId) {
      const id = await redis.get(keys.incidentOf(deploymentId));
      return id === null ? undefined : get(id);
    },
    async openForService(service, environment) {
      const id = await redis.get(scopeKey({ service, environment }));
      return id === null ? undefined : get(id);
    },
    reportedAlerts,
    async noteAlerts(service, environment, alerts, how) {
      if (alerts.length === 0) return;
      const batch = redis.multi();
      for (const a of alerts) {
        const mark = keys.alertFiring(service, environment, alertKey(a));
        if (how === 'resolved') batch.set(mark, how, 'EX', ALERT_TTL_S);
        else batch.set(mark, how, 'EX', ALERT_TTL_S, 'NX').expire(mark, ALERT_TTL_S);
      }
      await batch.exec();
    },
    async firingAgain(service, environment, alerts) {
      if (alerts.length === 0) return;
      const marks = alerts.map((a) => keys.alertFiring(service, environment, alertKey(a)));
      await runScript(redis, CLEAR_RESOLVED_MARKS, marks, []);
    },
    async firingBelowMin(service, environment, trigger, alerts) {
      const key = keys.alertsBelowMin(service, environment, trigger);
      const batch = redis.multi();
      if (Object.keys(alerts).length > 0) batch.hset(key, alerts);
      const replies = (await batch.expire(key, BELOW_MIN_TTL_S).hgetall(key).exec()) ?? [];
      const remembered = (replies.at(-1)?.[1] ?? {}) as Record<string, string>;
      const reported = await reportedAlerts(service, environment, Object.keys(remembered));
      if (reported.size > 0) await redis.hdel(key, ...reported);
      return Object.fromEntries(Object.entries(remembered).filter(([id]) => !reported.has(id)));
    },
    async audit(id) {
      return (await redis.lrange(keys.audit(id), 0, -1)).map(readAuditRecord);
    },
  };
}
