import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type Commit,
  createDeployment,
  createKeySpace,
  type Deployment,
  type DeploymentState,
  type DeploymentStore,
  type Effect,
  verifyAuditChain,
} from '../../src/core/index.ts';
import { createOutboxReader } from '../../src/infra/redis/outbox-reader.ts';
import { createRedisDeploymentStore } from '../../src/infra/redis/redis-deployment-store.ts';
import { testRunbook } from '../helpers/deployment-fixture.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const clock = { now: () => Date.now() };
const runbook = testRunbook();
const T0 = Date.parse('2026-01-07T06:00:00Z');

let server: TestRedis;
const clients: Redis[] = [];
let redis: Redis;
let prefix: string;
let store: DeploymentStore;

function connect(): Redis {
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  clients.push(client);
  return client;
}

function newDeployment(id: string, environment = 'production', requestedAt = T0): Deployment {
  const result = createDeployment(
    { runbook, now: requestedAt },
    { id, version: 'v1.2.3', environment, previousVersion: 'v1.2.2', requestedBy: 'ann', runbookDigest: 'd' },
  );
  if (!result.ok) throw result.error;
  return result.deployment;
}

/** Ben's manual lock, for `forMs` from now. */
function manualLock(forMs: number) {
  const now = Date.now();
  return { kind: 'manual', owner: 'ben', reason: 'freeze', at: now, expiresAt: now + forMs } as const;
}

function entry(type: string, detail: Record<string, unknown> = {}): AuditEntry {
  return { type, actor: 'ann', detail };
}

function create(d: Deployment, extra: Partial<Commit> = {}, lock: 'acquire' | 'none' = 'acquire'): Commit {
  const base = { before: undefined, after: d, audit: [entry('deployment.requested')], effects: [], at: T0 };
  return lock === 'none' ? { ...base, ...extra } : { ...base, lock: 'acquire', ...extra };
}

function change(before: Deployment, patch: Partial<Deployment>, extra: Partial<Commit> = {}): Commit {
  const after = { ...before, ...patch, revision: before.revision + 1 };
  return { before, after, audit: [entry('changed', patch)], effects: [], at: T0, ...extra };
}

function moveTo(d: Deployment, state: DeploymentState, extra: Partial<Commit> = {}): Commit {
  return change(d, { state }, extra);
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = connect();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.stop();
});

beforeEach(() => {
  prefix = createTestPrefix();
  // Each test's store is a process of its own, with its own connection (a store listens for its connection to
  // close, and fifteen on one connection would pass Node's 10 listeners).
  store = createRedisDeploymentStore({ redis: connect(), prefix, clock });
});

describe('RedisDeploymentStore', () => {
  it('creates and reads back a deployment, and hands out ids per service', async () => {
    const d = newDeployment('shop-1');
    expect(await store.commit(create(d))).toEqual({ status: 'committed' });
    expect(await store.get('shop-1')).toEqual(d);
    expect(await store.get('shop-404')).toBeUndefined();
    expect([
      await store.nextId('sparkle'),
      await store.nextId('sparkle'),
      await store.nextId('shop'),
    ]).toEqual(['sparkle-1', 'sparkle-2', 'shop-1']);
  });

  it('applies one of two commits made from the same revision', async () => {
    const d = newDeployment('shop-1');
    const creations = await Promise.all([store.commit(create(d)), store.commit(create(d))]);
    expect(creations.map((o) => o.status).sort()).toEqual(['committed', 'conflict']);
    const outcomes = await Promise.all([
      store.commit(change(d, { paused: true })),
      store.commit(change(d, { state: 'aborted' })),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['committed', 'conflict']);
    expect((await store.get('shop-1'))?.revision).toBe(d.revision + 1);
    expect(await store.audit('shop-1')).toHaveLength(2);
  });

  it('applies an event once however often it is delivered', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d));
    const first = change(d, { paused: true }, { eventId: 'slack:Ev1' });
    expect(await store.commit(first)).toEqual({ status: 'committed' });
    const again = change(
      first.after,
      { paused: true },
      { eventId: 'slack:Ev1', effects: [{ type: 'verify' }] },
    );
    expect(await store.commit(again)).toEqual({ status: 'duplicate', deployment: 'shop-1' });
    expect((await store.get('shop-1'))?.revision).toBe(first.after.revision);
    expect(await store.audit('shop-1')).toHaveLength(2);
    expect(await redis.xlen(createKeySpace(prefix).outbox)).toBe(0);
    expect(await store.eventTarget('slack:Ev1')).toBe('shop-1');
    expect(await store.eventTarget('slack:Ev2')).toBeUndefined();
  });

  it('lets one deployment per service and environment hold the lock', async () => {
    const a = newDeployment('shop-1');
    expect(await store.commit(create(a))).toEqual({ status: 'committed' });
    expect(await store.commit(create(newDeployment('shop-2')))).toEqual({
      status: 'locked',
      holder: { kind: 'deployment', id: 'shop-1' },
    });
    expect(await store.get('shop-2')).toBeUndefined();
    expect(await store.commit(create(newDeployment('shop-3', 'staging')))).toEqual({ status: 'committed' });
    expect(await store.lockHolder('shop', 'staging')).toEqual({ kind: 'deployment', id: 'shop-3' });

    const other = newDeployment('shop-4');
    await store.commit(create(other, {}, 'none'));
    await store.commit(moveTo(other, 'aborted', { lock: 'release' }));
    expect(await store.lockHolder('shop', 'production')).toEqual({ kind: 'deployment', id: 'shop-1' });
    await store.commit(moveTo(a, 'aborted', { lock: 'release' }));
    expect(await store.lockHolder('shop', 'production')).toBeUndefined();
    expect(await store.commit(create(newDeployment('shop-2')))).toEqual({ status: 'committed' });
  });

  it('honours a manual lock until it expires, and unlocks by hand', async () => {
    const holder = manualLock(1000);
    expect(await store.lockManually('shop', 'production', holder)).toBeUndefined();
    expect(await store.lockManually('shop', 'production', { ...holder, owner: 'cat' })).toEqual(holder);
    expect(await store.commit(create(newDeployment('shop-1')))).toEqual({ status: 'locked', holder });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.lockHolder('shop', 'production')).toBeUndefined();
    expect(await redis.exists(createKeySpace(prefix).lock('shop', 'production'))).toBe(0);
    expect(await store.commit(create(newDeployment('shop-1')))).toEqual({ status: 'committed' });
    expect(await store.unlockManually('shop', 'production')).toBeUndefined();

    const later = { ...holder, at: Date.now(), expiresAt: Date.now() + 60_000 };
    expect(await store.lockManually('shop', 'staging', later)).toBeUndefined();
    expect(await store.unlockManually('shop', 'staging')).toEqual(later);
    expect(await store.lockHolder('shop', 'staging')).toBeUndefined();
  });

  it('writes a lock change and its audit record in one step: a refused change records nothing', async () => {
    const holder = manualLock(60_000);
    const now = holder.at;
    const log = 'lock:cart:production';
    const record = (type: string, actor: string, detail: Record<string, unknown> = {}) => ({
      at: now,
      entries: [{ type, actor, detail }],
    });
    expect(
      await store.lockManually('cart', 'production', holder, 'slack:Ev1', record('lock.taken', 'ben')),
    ).toBeUndefined();
    const refused = await store.lockManually(
      'cart',
      'production',
      { ...holder, owner: 'cat' },
      'slack:Ev2',
      record('lock.taken', 'cat'),
    );
    expect(refused).toEqual(holder);
    expect(await store.lockChangedBy('slack:Ev1', 'cart', 'production')).toBe(true);
    expect(await store.lockChangedBy('slack:Ev2', 'cart', 'production')).toBe(false);
    const removed = await store.unlockManually('cart', 'production', 'slack:Ev3', (gone) =>
      record('lock.forced_unlock', 'cat', { owner: gone.kind === 'manual' ? gone.owner : '' }),
    );
    expect(removed).toEqual(holder);
    expect(await store.lockHolder('cart', 'production')).toBeUndefined();
    // Nothing left to remove: nothing is recorded either.
    expect(
      await store.unlockManually('cart', 'production', 'slack:Ev4', () => record('lock.released', 'cat')),
    ).toBeUndefined();
    const records = await store.audit(log);
    expect(records.map((r) => [r.type, r.actor, r.detail])).toEqual([
      ['lock.taken', 'ben', {}],
      ['lock.forced_unlock', 'cat', { owner: 'ben' }],
    ]);
    expect(verifyAuditChain(records, await store.auditHead(log)).ok).toBe(true);
    expect(await store.auditHead(log)).toEqual({ count: 2, hash: records[1]?.hash });
  });

  it('releases a rollback hold with its record in the log of the lock and of the deployment', async () => {
    const d = newDeployment('shop-7', 'staging');
    expect(await store.commit(create(d))).toEqual({ status: 'committed' });
    expect(await store.commit(change(d, { state: 'rolled_back' }, { lock: 'hold' }))).toEqual({
      status: 'committed',
    });
    expect(await store.lockHolder('shop', 'staging')).toMatchObject({ kind: 'rollback', id: d.id });
    const entry = { type: 'lock.released_after_rollback', actor: 'cat', detail: { reason: 'reverted' } };
    const removed = await store.unlockManually('shop', 'staging', undefined, (gone) => ({
      at: Date.now(),
      entries: [entry],
      ...(gone.kind === 'rollback' && { alsoIn: gone.id }),
    }));
    expect(removed).toMatchObject({ kind: 'rollback', id: d.id });
    for (const log of ['lock:shop:staging', d.id]) {
      const records = await store.audit(log);
      expect(records.at(-1)).toMatchObject(entry);
      expect(verifyAuditChain(records, await store.auditHead(log)).ok).toBe(true);
    }
    expect(await store.audit(d.id)).toHaveLength(3);
  });

  it('writes effects to the outbox, where a consumer group reads, acks and reclaims them', async () => {
    const effects: Effect[] = [
      { type: 'post', topic: { kind: 'status' } },
      { type: 'run-checklist', item: 'auto' },
    ];
    const d = newDeployment('shop-1');
    await store.commit(create(d, { effects }));
    const reader = createOutboxReader({ redis: connect(), prefix, group: 'relay', consumer: 'one' });
    const [read, ...rest] = await reader.read(100, 10);
    expect(rest).toEqual([]);
    expect(read).toMatchObject({ deploymentId: 'shop-1', revision: d.revision, effects });
    await reader.ack(read?.streamId ?? '');
    expect(await reader.read(50, 10)).toEqual([]);

    await store.commit(change(d, { paused: true }, { effects: [{ type: 'verify' }] }));
    expect(await reader.read(100, 10)).toHaveLength(1);
    const rescuer = createOutboxReader({ redis: connect(), prefix, group: 'relay', consumer: 'two' });
    expect(await rescuer.reclaim(60_000)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const [taken] = await rescuer.reclaim(50);
    expect(taken).toMatchObject({
      deploymentId: 'shop-1',
      revision: d.revision + 1,
      effects: [{ type: 'verify' }],
    });
    await rescuer.ack(taken?.streamId ?? '');
    expect(await redis.xpending(createKeySpace(prefix).outbox, 'relay')).toEqual([0, null, null, null]);
  });

  it('keeps a hash-chained audit log that shows the record someone edited', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d, { audit: [entry('deployment.requested'), entry('checklist.started')] }));
    await store.commit(change(d, { paused: true }));
    const records = await store.audit('shop-1');
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(verifyAuditChain(records)).toEqual({ ok: true, records: 3 });

    await store.appendAudit('lock:shop:production', [entry('lock.manual', { reason: 'freeze' })], T0);
    await store.appendAudit('lock:shop:production', [entry('unlock.forced')], T0 + 1);
    expect(verifyAuditChain(await store.audit('lock:shop:production'))).toEqual({ ok: true, records: 2 });

    const edited = { ...records[1], actor: 'mallory' };
    await redis.lset(createKeySpace(prefix).audit('shop-1'), 1, JSON.stringify(edited));
    expect(verifyAuditChain(await store.audit('shop-1'))).toMatchObject({ ok: false, seq: 2 });
  });

  it('writes the audit head with the records of a commit, so a removed tail shows from the moment it commits', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d, { audit: [entry('deployment.requested'), entry('checklist.started')] }));
    expect(await store.auditHead('shop-1')).toEqual({
      count: 2,
      hash: (await store.audit('shop-1'))[1]?.hash,
    });
    await store.commit(change(d, { paused: true }));
    const records = await store.audit('shop-1');
    expect(await store.auditHead('shop-1')).toEqual({ count: 3, hash: records[2]?.hash });
    await redis.rpop(createKeySpace(prefix).audit('shop-1'));
    expect(verifyAuditChain(await store.audit('shop-1'), await store.auditHead('shop-1'))).toMatchObject({
      ok: false,
    });
  });

  it('keeps the audit chain whole when another process appended to it between two commits of this one', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d));
    const r2 = { ...d, paused: true, revision: d.revision + 1 };
    await store.commit(change(d, { paused: true }));
    // A refusal recorded by another process: the log grows, the deployment's revision does not.
    const other = createRedisDeploymentStore({ redis: connect(), prefix, clock });
    await other.appendAudit('shop-1', [entry('refused', { action: 'gate.approve' })], T0 + 1);
    // This process's own idea of the log's tail is stale now: the commit conflicts instead of forking the chain,
    // and the engine's retry from the same revision then lands.
    expect(await store.commit(change(r2, { paused: false }))).toEqual({ status: 'conflict' });
    expect(await store.commit(change(r2, { paused: false }))).toEqual({ status: 'committed' });
    const records = await store.audit('shop-1');
    expect(records.map((r) => r.type)).toEqual(['deployment.requested', 'changed', 'refused', 'changed']);
    expect(verifyAuditChain(records)).toEqual({ ok: true, records: 4 });
  });

  it('lists deployments most recent first, optionally only the active ones', async () => {
    const ids = ['shop-1', 'shop-2', 'shop-3'];
    for (const [i, id] of ids.entries()) {
      const d = newDeployment(id, 'production', T0 + i * 1000);
      await store.commit(create(d, {}, 'none'));
      if (id === 'shop-2') await store.commit(moveTo(d, 'succeeded'));
    }
    const ids2 = (list: Deployment[]): string[] => list.map((d) => d.id);
    expect(ids2(await store.list({}))).toEqual(['shop-3', 'shop-2', 'shop-1']);
    expect(ids2(await store.list({ service: 'shop', limit: 2 }))).toEqual(['shop-3', 'shop-2']);
    expect(ids2(await store.list({ activeOnly: true }))).toEqual(['shop-3', 'shop-1']);
    expect(await store.list({ service: 'other' })).toEqual([]);
  });

  it('lists the active ones without reading finished history, including data stored before that index', async () => {
    const keys = createKeySpace(prefix);
    const old = newDeployment('shop-1', 'production', T0);
    // Stored by an earlier version: in the full index only.
    await redis.set(keys.deployment(old.id), JSON.stringify(old));
    await redis.zadd(keys.deploymentIndex(), T0, old.id);
    await redis.zadd(keys.deploymentIndex('shop'), T0, old.id);
    for (let i = 0; i < 300; i++) {
      const id = `history-old${i}`;
      await redis.set(
        keys.deployment(id),
        JSON.stringify({ ...old, id, service: 'history', state: 'succeeded' }),
      );
      await redis.zadd(keys.deploymentIndex(), T0 + 10 + i, id);
    }
    const current = newDeployment('shop-2', 'staging', T0 + 5_000);
    await store.commit(create(current, {}, 'none'));
    expect((await store.list({ activeOnly: true })).map((d) => d.id)).toEqual(['shop-2', 'shop-1']);
    await store.commit(moveTo(current, 'succeeded'));
    expect((await store.list({ activeOnly: true, service: 'shop' })).map((d) => d.id)).toEqual(['shop-1']);
    // A fresh process reads the index as built; it never scans the 300 finished ones again.
    const again = createRedisDeploymentStore({ redis: connect(), prefix, clock });
    expect((await again.list({ activeOnly: true })).map((d) => d.id)).toEqual(['shop-1']);
    expect(await redis.zrange(keys.activeIndex, '0', '-1')).toEqual(['shop-1']);
  });

  it('tracks the live version through monitoring and a rollback', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d));
    expect(await store.liveVersion('shop', 'production')).toBeUndefined();
    const monitoring = moveTo(d, 'monitoring');
    await store.commit(monitoring);
    expect(await store.liveVersion('shop', 'production')).toEqual({
      version: 'v1.2.3',
      deployment: 'shop-1',
    });
    await store.commit(moveTo(monitoring.after, 'rolled_back'));
    expect(await store.liveVersion('shop', 'production')).toEqual({
      version: 'v1.2.2',
      deployment: 'shop-1',
    });
    expect(await store.liveVersion('shop', 'staging')).toBeUndefined();
  });

  it('keeps everything through a SIGKILL of Redis and a restart', async () => {
    const d = newDeployment('shop-1');
    await store.commit(create(d, { effects: [{ type: 'verify' }] }));
    await store.commit(moveTo(d, 'monitoring', { eventId: 'ev-1' }));
    await server.kill();
    await server.restart();
    const fresh = createRedisDeploymentStore({ redis: connect(), prefix, clock });
    expect((await fresh.get('shop-1'))?.state).toBe('monitoring');
    expect(verifyAuditChain(await fresh.audit('shop-1'))).toEqual({ ok: true, records: 2 });
    expect(await fresh.lockHolder('shop', 'production')).toEqual({ kind: 'deployment', id: 'shop-1' });
    expect(await fresh.liveVersion('shop', 'production')).toMatchObject({ version: 'v1.2.3' });
    expect(await fresh.commit(moveTo(d, 'monitoring', { eventId: 'ev-1' }))).toEqual({
      status: 'duplicate',
      deployment: 'shop-1',
    });
    expect(await redis.xlen(createKeySpace(prefix).outbox)).toBe(1);
  });
});
