/**
 * An incident's audit head (count and last hash) is written by the commit that appends its records, in the same
 * script: a process that dies right after an incident commit leaves a head naming its last record, so removing
 * that record shows in `audit verify` from the moment it was committed.
 */
import { expect, it } from 'vitest';
import {
  applyIncidentEvent,
  createKeySpace,
  openIncidentFor,
  verifyAuditChain,
} from '../../../src/core/index.ts';
import { useEngineSuite } from '../../helpers/engine-suite.ts';
import { incidentRunbook } from '../../helpers/incident-world.ts';

const suite = useEngineSuite();

it('is written with the records of each incident commit, nothing after it', async () => {
  const h = await suite.start({ runbook: incidentRunbook('http://127.0.0.1:9') });
  const { redis } = h.preflight;
  // From here on, no separate SET of an audit head reaches Redis: as if the process died as soon as each commit's
  // script ran.
  const set = redis.set.bind(redis);
  const headKey = createKeySpace(h.preflight.prefix).auditHead('');
  redis.set = ((key: string, ...rest: unknown[]) =>
    key.startsWith(headKey)
      ? Promise.reject(new Error('the process died here'))
      : (set as (...args: unknown[]) => unknown)(key, ...rest)) as typeof redis.set;
  try {
    const opened = await openIncidentFor(h.preflight.engine, {
      service: 'svc',
      title: 'svc is down',
      trigger: 'manual',
      openedBy: 'ann',
    });
    if (!opened.ok) throw opened.error;
    const id = opened.incident.id;
    const acked = await applyIncidentEvent(h.preflight.engine, id, { type: 'incident.ack', by: 'ann' });
    expect(acked.ok).toBe(true);

    const records = await h.preflight.engine.incidents.audit(id);
    const head = await h.preflight.engine.store.auditHead(id);
    expect(head).toEqual({ count: records.length, hash: records.at(-1)?.hash });
    expect(verifyAuditChain(records, head)).toEqual({ ok: true, records: records.length });

    await redis.rpop(createKeySpace(h.preflight.prefix).audit(id));
    expect(verifyAuditChain(await h.preflight.engine.incidents.audit(id), head)).toMatchObject({ ok: false });
  } finally {
    redis.set = set;
  }
});
