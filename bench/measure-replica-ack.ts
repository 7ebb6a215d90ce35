/**
 * What the replica acknowledgement costs a person: an approval applied through the engine (read, transition,
 * commit) on a primary that has a replica, without and with the WAIT that makes it durable on the replica before
 * chat confirms it. Runs on its own primary + replica, so the rest of the bench is not slowed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { applyEvent, createRedactor, type EngineDeps, startDeployment } from '../src/core/index.ts';
import { startRedisServer } from '../src/infra/embedded-redis.ts';
import { createRedisDeploymentStore } from '../src/infra/redis/redis-deployment-store.ts';
import { createRedisIncidentStore } from '../src/infra/redis/redis-incident-store.ts';
import { createReplicaAck } from '../src/infra/redis/replica-ack.ts';
import { createRunbookCatalog, loadRunbooks } from '../src/infra/runbook-catalog.ts';
import { median, waitUntil } from './bench-stats.ts';

const RUNBOOK = `version: 1
service: acks
timezone: UTC
environments: { production: { default: true } }
channels: { deploy: "#deploy", incident: "#incident" }
people: { ann: { name: Ann, slack: U1 }, ben: { name: Ben, slack: U2 }, cat: { name: Cat, slack: U3 } }
groups: { ops: [ann, ben, cat] }
permissions: { deploy: [ops], rollback: [ops] }
gates: { operations: { approvers: [ops], required: 2 } }
steps: [{ id: go, title: Go, needs: [operations], run: "true" }]
escalation: { levels: [{ id: L1, notify: [ann], respond_within: 15m }] }
`;

export interface ReplicaAckFigures {
  /** Median ms for an approval to be committed on the primary alone. */
  readonly approvalConfirmMs: number;
  /** Median ms for the same approval committed and acknowledged by the replica (WAIT). */
  readonly approvalConfirmWaitMs: number;
}

/** Alternates approve/withdraw of one gate `samples` times each way, with and without the replica ack. */
export async function measureReplicaAck(samples: number): Promise<ReplicaAckFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-ack-'));
  const primary = await startRedisServer({ dir: join(dir, 'primary'), env: process.env });
  const replica = await startRedisServer({ dir: join(dir, 'replica'), env: process.env });
  const redis = new Redis(primary.url, { maxRetriesPerRequest: null });
  const confirmer = new Redis(primary.url, { maxRetriesPerRequest: null });
  const replicaClient = new Redis(replica.url);
  try {
    await replicaClient.call('REPLICAOF', '127.0.0.1', String(primary.port));
    await waitUntil(
      'the replica to sync',
      async () => /master_link_status:up/.test(await replicaClient.info('replication')),
      15_000,
      50,
    );
    await writeFile(join(dir, 'runbook.yaml'), RUNBOOK);
    const files = await loadRunbooks(join(dir, 'runbook.yaml'));
    const prefix = 'bench-ack:';
    const clock = { now: () => Date.now() };
    const log = {
      warn: (obj: object, msg?: string) => process.stderr.write(`bench: ${msg} ${JSON.stringify(obj)}\n`),
    };
    const engineWith = (confirm: boolean): EngineDeps => ({
      store: createRedisDeploymentStore({
        redis,
        prefix,
        clock,
        ...(confirm && { confirm: { redis: confirmer, ack: createReplicaAck({ redis: confirmer, log }) } }),
      }),
      incidents: createRedisIncidentStore({ redis, prefix }),
      runbooks: createRunbookCatalog({ redis, prefix, files }),
      clock,
      redactor: createRedactor({}),
    });
    const plain = engineWith(false);
    const acked = engineWith(true);
    const started = await startDeployment(
      { ...acked, secrets: { missing: () => [], values: () => ({}) } },
      { service: 'acks', version: 'v1.0.0', caller: { platform: 'console', userId: 'ben', via: 'api' } },
    );
    if (!started.ok) throw started.error;
    const id = started.deployment.id;
    const time = async (engine: EngineDeps, type: 'gate.approve' | 'gate.withdraw') => {
      const begin = performance.now();
      const outcome = await applyEvent(engine, id, {
        type,
        gate: 'operations',
        by: 'ann',
        onMessage: 'gate',
      });
      if (!outcome.ok || !outcome.changed) throw new Error(`${type} was not applied`);
      return performance.now() - begin;
    };
    const without: number[] = [];
    const withAck: number[] = [];
    for (let i = 0; i < samples; i++) {
      for (const [engine, into] of [
        [plain, without],
        [acked, withAck],
      ] as const) {
        into.push(await time(engine, 'gate.approve'));
        into.push(await time(engine, 'gate.withdraw'));
      }
    }
    return { approvalConfirmMs: median(without), approvalConfirmWaitMs: median(withAck) };
  } finally {
    for (const client of [redis, confirmer, replicaClient]) client.disconnect();
    await Promise.all([primary.stop(), replica.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}
