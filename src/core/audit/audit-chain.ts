/** The audit log: append-only records, each carrying the hash of the one before, so edits are detectable. */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../deployment/effects.ts';

export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly deployment: string;
  readonly type: string;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** Hash of the record before (64 zeros for the first). */
  readonly prev: string;
  /** SHA-256 of this record's JSON without `hash`. */
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

function hashBody(body: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** Chains new entries after `last` (undefined for an empty log). */
export function chainAudit(
  deployment: string,
  last: Pick<AuditRecord, 'seq' | 'hash'> | undefined,
  entries: readonly AuditEntry[],
  at: number,
): AuditRecord[] {
  let prev = last?.hash ?? GENESIS_HASH;
  let seq = last?.seq ?? 0;
  return entries.map((entry) => {
    seq += 1;
    const body = {
      seq,
      at: new Date(at).toISOString(),
      deployment,
      type: entry.type,
      actor: entry.actor,
      detail: entry.detail,
      prev,
    };
    const record = { ...body, hash: hashBody(body) };
    prev = record.hash;
    return record;
  });
}

export type AuditVerdict =
  | { readonly ok: true; readonly records: number }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

/** Where the chain ended when it was last written: kept apart from the list, so a cut-off tail shows. */
export interface AuditHead {
  readonly count: number;
  readonly hash: string;
}

/** The head to keep after appending `records`. */
export function auditHeadOf(records: readonly AuditRecord[]): AuditHead | undefined {
  const last = records[records.length - 1];
  return last && { count: last.seq, hash: last.hash };
}

/**
 * Recomputes every hash and link; reports the first record that does not match. With the head kept at the last
 * write, a log whose tail was removed (or cut and rewritten) is reported too.
 */
export function verifyAuditChain(records: readonly AuditRecord[], head?: AuditHead): AuditVerdict {
  const chain = verifyLinks(records);
  if (!chain.ok || head === undefined) return chain;
  if (!Number.isInteger(head.count))
    return {
      ok: false,
      seq: records.length,
      reason: 'the head kept for the log is unreadable (it was overwritten)',
    };
  if (records.length < head.count) {
    const missing = head.count - records.length;
    return {
      ok: false,
      seq: records.length + 1,
      reason: `the log ends at record ${records.length}, but ${head.count} were written: the last ${missing === 1 ? 'record was' : `${missing} records were`} removed`,
    };
  }
  if (records[head.count - 1]?.hash !== head.hash)
    return {
      ok: false,
      seq: head.count,
      reason: 'it is not the record that was written there (the log was cut and rewritten)',
    };
  return chain;
}

const looksLikeRecord = (value: unknown): value is AuditRecord =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { seq?: unknown }).seq === 'number' &&
  typeof (value as { hash?: unknown }).hash === 'string';

/** A stored record as read back; one that is not JSON or not a record is kept as text, for verification to report. */
export function readAuditRecord(raw: string): AuditRecord {
  try {
    const value: unknown = JSON.parse(raw);
    if (looksLikeRecord(value)) return value;
  } catch {
    // Reported by verifyAuditChain.
  }
  return { unreadable: raw.slice(0, 200) } as unknown as AuditRecord;
}

/** A kept head as read back; an unreadable one has no count, and verification reports it. */
export function readAuditHeadText(raw: string): AuditHead {
  try {
    const value = JSON.parse(raw) as Partial<AuditHead> | null;
    if (value && Number.isInteger(value.count) && typeof value.hash === 'string')
      return { count: value.count as number, hash: value.hash };
  } catch {
    // Reported by verifyAuditChain.
  }
  return { count: Number.NaN, hash: '' };
}

function verifyLinks(records: readonly AuditRecord[]): AuditVerdict {
  let prev = GENESIS_HASH;
  for (const [index, record] of records.entries()) {
    if (!looksLikeRecord(record))
      return { ok: false, seq: index + 1, reason: 'it is not a readable record (it was overwritten)' };
    const { hash, ...body } = record;
    if (record.seq !== index + 1)
      return {
        ok: false,
        seq: record.seq,
        reason: `expected record ${index + 1} here, found ${record.seq} (a record was removed or reordered)`,
      };
    if (record.prev !== prev)
      return { ok: false, seq: record.seq, reason: 'its link to the record before does not match' };
    if (hashBody(body) !== hash)
      return { ok: false, seq: record.seq, reason: 'its content does not match its hash (it was edited)' };
    prev = hash;
  }
  return { ok: true, records: records.length };
}
