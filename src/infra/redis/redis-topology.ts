/** What /readyz says about Redis: which kind of deployment, whether writes can go through, how many replicas. */
import { Cluster } from 'ioredis';
import { countOf } from '../../core/index.ts';
import type { RedisClient, RedisTarget } from './redis-connector.ts';

export interface RedisTopology {
  /** True when Preflight can write: a primary answers (and, on Cluster, every slot is served). */
  readonly ok: boolean;
  readonly mode: RedisTarget['mode'];
  /** One line for people, e.g. `sentinel "mymaster": primary 10.0.0.5:6379, 1 replica`. */
  readonly summary: string;
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

async function readCluster(client: Cluster): Promise<RedisTopology> {
  const info = String(await client.cluster('INFO'));
  const state = field(info, 'cluster_state') ?? 'unknown';
  // CLUSTER NODES lists every node with its flags; failed ones do not count.
  const nodes = String(await client.cluster('NODES'))
    .split('\n')
    .map((line) => line.split(' ')[2]?.split(',') ?? [])
    .filter((flags) => !flags.includes('fail') && !flags.includes('fail?'));
  const primaries = nodes.filter((flags) => flags.includes('master')).length;
  const replicas = nodes.filter((flags) => flags.includes('slave')).length;
  return {
    ok: state === 'ok',
    mode: 'cluster',
    summary: `cluster ${state}: ${countOf(primaries, 'primary', 'primaries')}, ${countOf(replicas, 'replica')}`,
  };
}

/**
 * Reads the topology; never throws, and answers within `timeoutMs` (an unreachable Redis is `ok: false`). With
 * `probeKey` (a key in Preflight's own slot) it also writes: a primary that answers ROLE but refuses writes
 * (`min-replicas-to-write` with its replicas gone) or a Cluster whose node for that slot is dead is not ready.
 */
export async function readRedisTopology(
  client: RedisClient,
  target: RedisTarget,
  timeoutMs = 2_000,
  probeKey?: string,
): Promise<RedisTopology> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<RedisTopology>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          mode: target.mode,
          summary: `${target.mode}: no answer within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([readTopology(client, target, probeKey), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readTopology(
  client: RedisClient,
  target: RedisTarget,
  probeKey: string | undefined,
): Promise<RedisTopology> {
  const topology = await readRoles(client, target);
  if (!topology.ok || probeKey === undefined) return topology;
  try {
    await client.set(probeKey, String(Date.now()), 'PX', 60_000);
    return topology;
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    return { ...topology, ok: false, summary: `${topology.summary}; writes refused (${why})` };
  }
}

async function readRoles(client: RedisClient, target: RedisTarget): Promise<RedisTopology> {
  try {
    if (client instanceof Cluster) return await readCluster(client);
    const role = (await client.call('ROLE')) as unknown[];
    // The address actually connected: with Sentinel it is the primary the sentinels named last.
    const where = `${client.stream?.remoteAddress ?? '?'}:${client.stream?.remotePort ?? '?'}`;
    const replicas = Array.isArray(role[2]) ? role[2].length : 0;
    const isPrimary = role[0] === 'master';
    const name = target.mode === 'sentinel' ? ` "${target.name}"` : '';
    return {
      ok: isPrimary,
      mode: target.mode,
      summary: isPrimary
        ? `${target.mode}${name}: primary ${where}, ${countOf(replicas, 'replica')}`
        : `${target.mode}${name}: ${where} is a ${String(role[0])}, not a primary; waiting for a failover`,
    };
  } catch (error) {
    return {
      ok: false,
      mode: target.mode,
      summary: `${target.mode}: unreachable (${(error as Error).message.split('\n')[0]})`,
    };
  }
}
