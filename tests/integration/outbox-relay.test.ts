/**
 * The outbox relay on a real Redis: every commit's effects delivered once, each deployment's in commit order, and
 * acknowledged as delivered (with the next read), so nothing is left for a later relay to deliver again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeySpace } from '../../src/core/index.ts';
import { outboxUndelivered } from '../../src/infra/redis/outbox-backlog.ts';
import { createOutboxReader } from '../../src/infra/redis/outbox-reader.ts';
import { createLeaderLock } from '../../src/jobs/leader-lock.ts';
import { createOutboxRelay } from '../../src/jobs/outbox-relay.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

let server: TestRedis;
const clients: Redis[] = [];
const connect = () => {
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startTestRedis();
}, 30_000);
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

const log = { debug() {}, info() {}, warn() {}, error() {} } as never;

function relayOn(prefix: string, delivered: string[], hold?: (id: string) => Promise<void> | undefined) {
  const relay = createOutboxRelay({
    source: createOutboxReader({ redis: connect(), prefix, group: 'relay', consumer: `c-${Math.random()}` }),
    deliver: async (id, revision) => {
      await hold?.(id);
      delivered.push(`${id}@${revision}`);
    },
    deliverIncident: async () => undefined,
    leader: createLeaderLock({
      redis: connect(),
      key: `${prefix}leader`,
      id: `${Math.random()}`,
      ttlMs: 5_000,
    }),
    log,
  });
  relay.start();
  return relay;
}

describe('the outbox relay', () => {
  it('delivers each commit once, in order per deployment, and leaves nothing unacknowledged', async () => {
    const prefix = createTestPrefix();
    const stream = createKeySpace(prefix).outbox;
    const admin = connect();
    const delivered: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const relay = relayOn(prefix, delivered, (id) => (id === 'd9' ? held : undefined));
    const commits = Array.from({ length: 60 }, (_, i) => [`d${i % 3}`, Math.floor(i / 3) + 1] as const);
    for (const [id, revision] of commits)
      await admin.xadd(stream, '*', 'deployment', id, 'revision', revision, 'effects', '[]');
    for (const until = Date.now() + 10_000; delivered.length < commits.length && Date.now() < until; )
      await sleep(10);
    await relay.idle();
    for (const id of ['d0', 'd1', 'd2'])
      expect(delivered.filter((d) => d.startsWith(`${id}@`))).toEqual(
        Array.from({ length: 20 }, (_, i) => `${id}@${i + 1}`),
      );
    // Acknowledged while the relay runs on, and nothing pending once it stopped.
    for (const until = Date.now() + 2_000; Date.now() < until; await sleep(10))
      if (!(await outboxUndelivered(admin, stream, 'relay'))) break;
    expect(await outboxUndelivered(admin, stream, 'relay')).toBe(false);
    // Told to stop while it delivers: what it delivered is acknowledged as it stops.
    await admin.xadd(stream, '*', 'deployment', 'd9', 'revision', 1, 'effects', '[]');
    await sleep(300);
    const stopped = relay.stop();
    release();
    await stopped;
    expect(delivered).toContain('d9@1');
    const pending = (await admin.xpending(stream, 'relay')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    expect(delivered).toHaveLength(commits.length + 1);
    // A relay started later has nothing to deliver again.
    const again: string[] = [];
    const later = relayOn(prefix, again);
    await sleep(700);
    await later.stop();
    expect(again).toEqual([]);
  });
});
