/**
 * The head of an audit log (count and last hash), kept in its own key after each append so that removing the
 * last records shows in `preflight audit verify`. A deployment commit writes it in its script, with the records
 * (commit-script.ts); the other appends write it after the append: a crash in between leaves an older head, which
 * still matches its record, so it can never raise a false alarm.
 */

import { type AuditHead, type AuditRecord, auditHeadOf, type KeySpace } from '../../core/index.ts';
import type { RedisClient } from './redis-connector.ts';

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
  return raw === null ? undefined : (JSON.parse(raw) as AuditHead);
}
