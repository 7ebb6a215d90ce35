import type { Cluster } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRedisDurability } from '../../src/infra/redis/redis-durability.ts';
import { readRedisTopology } from '../../src/infra/redis/redis-topology.ts';
import { createChatSendQueue } from '../../src/jobs/chat-send-queue.ts';
import {
  createFakeSender,
  createRecordingLog,
  finishedKeys,
  type SendAttempt,
} from '../helpers/chat-send-fakes.ts';
import type { Harness } from '../helpers/engine-harness.ts';
import { startClusterSet } from '../helpers/redis-ha.ts';
import {
  approveBothGates,
  expectMonitoring,
  must,
  startPastChecklist,
  useSandboxHarness,
} from '../helpers/sandbox-engine.ts';

const suite = useSandboxHarness(startClusterSet, { startMs: 120_000 });
let h: Harness;
beforeAll(() => {
  h = suite.h;
});

describe('Preflight on a Redis Cluster (three primaries, a replica each)', () => {
  it('runs a whole sandbox deployment with gates, and keeps every key of the deployment in one slot', async () => {
    const id = await startPastChecklist(h, 30_000);
    await approveBothGates(h, id);
    await expectMonitoring(h, id, 60_000);
    expect(await readRedisTopology(h.preflight.redis, h.preflight.connector.target)).toEqual({
      ok: true,
      mode: 'cluster',
      summary: 'cluster ok: 3 primaries, 3 replicas',
    });

    // Every key that names the deployment, found on whichever primary holds it, hashes to one slot.
    const client = h.preflight.redis as Cluster;
    const found: string[] = [];
    for (const node of client.nodes('master')) found.push(...(await node.keys(`*${id}*`)));
    const slots = new Set(await Promise.all(found.map((k) => client.cluster('KEYSLOT', k))));
    expect(found.length).toBeGreaterThan(5);
    expect(found).toEqual(expect.arrayContaining([`{${h.prefix.slice(0, -1)}}:dep:${id}`]));
    expect(slots.size).toBe(1);
    await must(h.apply(id, { type: 'abort', by: 'alice', emergency: false, reason: 'end of test' }));
  }, 150_000);

  it('delivers chat messages in order per channel through the send queue, woken across nodes', async () => {
    const attempts: SendAttempt[] = [];
    const queues = ['A', 'B'].map((by) =>
      createChatSendQueue({
        connect: () => h.preflight.connect(),
        prefix: h.prefix,
        send: createFakeSender(by, attempts),
        minIntervalMs: () => 0,
        log: createRecordingLog().log,
        leaseMs: 2_000,
      }),
    );
    const keys = Array.from({ length: 20 }, (_, i) => `m${i}`);
    // One thread with a prompt last: the urgent and thread indexes live in Preflight's slot too.
    for (const key of keys)
      for (const channel of ['slack:C1', 'slack:C2'])
        await queues[0]?.enqueue({
          channel,
          kind: 'post',
          key,
          payload: { key },
          thread: 'd-1',
          urgent: key === 'm19',
        });
    for (const queue of queues) queue.start();
    await queues[0]?.idle();
    for (const channel of ['slack:C1', 'slack:C2']) expect(finishedKeys(attempts, channel)).toEqual(keys);
    await Promise.all(queues.map((q) => q.stop()));
  }, 60_000);

  it('warns about an evicting policy on any node, naming it, and writes to Preflight’s slot for /readyz', async () => {
    const client = h.preflight.redis as Cluster;
    expect(await checkRedisDurability(client)).toEqual([]);
    const node = client.nodes('master')[1];
    if (!node) throw new Error('the cluster has no second primary');
    await node.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      expect(await checkRedisDurability(client)).toEqual([
        {
          setting: 'maxmemory-policy',
          message: `Redis maxmemory-policy is allkeys-lru: under memory pressure it may delete deployments, approvals and pending pages; set maxmemory-policy noeviction (node ${node.options.host}:${node.options.port})`,
        },
      ]);
    } finally {
      await node.config('SET', 'maxmemory-policy', 'noeviction');
    }
    const probe = `{${h.prefix.slice(0, -1)}}:seen:readyz-write`;
    expect((await readRedisTopology(client, h.preflight.connector.target, 2_000, probe)).ok).toBe(true);
    expect(await client.exists(probe)).toBe(1);
  }, 30_000);
});
