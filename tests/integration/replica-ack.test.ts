import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment, createKeySpace, type Deployment } from '../../src/core/index.ts';
import { createRedisDeploymentStore } from '../../src/infra/redis/redis-deployment-store.ts';
import { createReplicaAck } from '../../src/infra/redis/replica-ack.ts';
import { testRunbook } from '../helpers/deployment-fixture.ts';
import { createTestPrefix, startTestRedis, type TestRedis } from '../helpers/redis-server.ts';

const clock = { now: () => Date.now() };
let primary: TestRedis;
let replica: TestRedis;
const clients: Redis[] = [];
const connect = (url: string) => {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  clients.push(client);
  return client;
};

beforeAll(async () => {
  [primary, replica] = await Promise.all([startTestRedis(), startTestRedis()]);
  const follower = connect(replica.url);
  await follower.call('REPLICAOF', '127.0.0.1', String(primary.port));
  for (let i = 0; i < 300 && !/master_link_status:up/.test(await follower.info('replication')); i++)
    await new Promise((r) => setTimeout(r, 50));
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await Promise.all([primary.stop(), replica.stop()]);
});

function newDeployment(id: string): Deployment {
  const result = createDeployment(
    { runbook: testRunbook(), now: Date.now() },
    { id, version: 'v2.0.0', environment: 'production', requestedBy: 'ann', runbookDigest: 'd' },
  );
  if (!result.ok) throw result.error;
  return result.deployment;
}

describe('confirmed commits with a replica', () => {
  it('are held by the replica when the commit returns, one after another', async () => {
    const prefix = createTestPrefix();
    const confirmer = connect(primary.url);
    const warnings: string[] = [];
    const store = createRedisDeploymentStore({
      redis: connect(primary.url),
      prefix,
      clock,
      confirm: {
        redis: confirmer,
        ack: createReplicaAck({ redis: confirmer, log: { warn: (_o, m) => warnings.push(m ?? '') } }),
      },
    });
    const onReplica = connect(replica.url);
    let d = newDeployment('shop-1');
    const first = { before: undefined, after: d, audit: [], effects: [], at: Date.now(), confirms: true };
    expect(await store.commit(first)).toEqual({ status: 'committed' });
    for (let i = 0; i < 5; i++) {
      const after = { ...d, paused: i % 2 === 0, revision: d.revision + 1 };
      const approval = { type: 'gate.approved', actor: 'ann', detail: { i } };
      const change = { before: d, after, audit: [approval], effects: [], at: Date.now(), confirms: true };
      expect(await store.commit(change)).toEqual({ status: 'committed' });
      d = after;
      const held = JSON.parse(
        (await onReplica.get(createKeySpace(prefix).deployment('shop-1'))) ?? '{}',
      ) as Deployment;
      expect(held.revision).toBe(d.revision);
    }
    expect(warnings).toEqual([]);
  });
});
