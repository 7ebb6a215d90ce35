/**
 * The head of an audit log (count and last hash), kept in its own key after each append so that removing the
 * last records shows in `preflight audit verify`. Deployment and incident commits write it in their scripts, with
 * the records (commit-script.ts, incident-commit-script.ts); the other appends write it after the append: a crash
 * in between leaves an older head, which still matches its record, so it can never raise a false alarm.
 */

import {
  type AuditHead,
  type AuditRecord,
  auditHeadOf,
  type KeySpace,
  readAuditHeadText,
} from '../../core/index.ts';
import type { AuditTail } from './audit-tail-cache.ts';
import type { RedisClient } from './redis-connector.ts';

/** The last record of an audit log and the log's length, read together. */
export async function readAuditTail(
  redis: RedisClient,
  keys: Pick<KeySpace, 'audit'>,
  id: string,
): Promise<AuditTail> {
  const auditKey = keys.audit(id);
  const replies = await redis.multi().lindex(auditKey, -1).llen(auditKey).exec();
  const [lastReply, lengthReply] = replies ?? [];
  if (!lastReply || !lengthReply || lastReply[0] || lengthReply[0])
    throw lastReply?.[0] ?? lengthReply?.[0] ?? new Error('reading the audit log failed');
  const raw = lastReply[1] as string | null;
  return {
    last: raw === null ? undefined : (JSON.parse(raw) as AuditRecord),
    length: Number(lengthReply[1]),
  };
}

/** Records the head after `records` were appended. */
export async function keepAuditHead(
  redis: RedisClient,
  keys: Pick<KeySpace, 'auditHead'>,
  id: string,
  records: readonly AuditRecord[],
): Promise<void> {
  const head = auditHeadOf(records);
  if (head) await redis.set(keys.auditHead(id), JSON.stringify(head));
}

/** The head kept for a log; undefined for logs written before heads were kept. */
export async function readAuditHead(
  redis: RedisClient,
  keys: Pick<KeySpace, 'auditHead'>,
  id: string,
): Promise<AuditHead | undefined> {
  const raw = await redis.get(keys.auditHead(id));
  return raw === null ? undefined : readAuditHeadText(raw);
}
