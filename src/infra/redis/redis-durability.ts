/**
 * What the Redis at REDIS_URL would lose. Preflight keeps deployments, approvals, audit logs and pending pages
 * in Redis: an evicting memory policy can drop them under memory pressure, and without the append-only file a
 * restart loses everything written since the last snapshot. Managed Redis often refuses CONFIG; then we say we
 * could not check rather than guess.
 */
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redis-connector.ts';

export interface DurabilityFinding {
  readonly setting: 'maxmemory-policy' | 'appendonly' | 'config';
  readonly message: string;
}

/**
 * Reads the two settings; returns one finding per problem, [] when Redis keeps what Preflight writes. On a
 * Cluster every node the client holds is read, not whichever one a command happens to reach, and a finding names
 * its nodes.
 */
export async function checkRedisDurability(redis: RedisClient): Promise<DurabilityFinding[]> {
  if (!(redis instanceof Cluster)) return await checkNode(redis);
  const nodes = redis.nodes('all');
  if (nodes.length === 0)
    return [
      {
        setting: 'config',
        message:
          'could not read the Redis configuration (no Cluster node connected yet); make sure every node runs with ' +
          'maxmemory-policy noeviction and appendonly yes, or deployments can be lost',
      },
    ];
  // Each node read without naming it; then one line per problem, naming every node that has it.
  const perNode = await Promise.all(
    nodes.map(async (node) => ({
      at: `${node.options.host}:${node.options.port}`,
      found: await checkNode(node),
    })),
  );
  const nodesOf = new Map<string, { finding: DurabilityFinding; at: string[] }>();
  for (const { at, found } of perNode)
    for (const finding of found) {
      const entry = nodesOf.get(finding.message) ?? { finding, at: [] };
      entry.at.push(at);
      nodesOf.set(finding.message, entry);
    }
  return [...nodesOf.values()].map(({ finding, at }) => ({
    ...finding,
    message: `${finding.message} (${at.length === 1 ? 'node' : 'nodes'} ${at.join(', ')})`,
  }));
}

async function checkNode(redis: Redis): Promise<DurabilityFinding[]> {
  let policy: string | undefined;
  let appendonly: string | undefined;
  try {
    policy = configValue(await redis.call('CONFIG', 'GET', 'maxmemory-policy'));
    appendonly = configValue(await redis.call('CONFIG', 'GET', 'appendonly'));
  } catch (error) {
    return [
      {
        setting: 'config',
        message:
          `could not read the Redis configuration (${(error as Error).message.split('\n')[0]}); make sure it ` +
          `runs with maxmemory-policy noeviction and appendonly yes, or deployments can be lost`,
      },
    ];
  }
  const findings: DurabilityFinding[] = [];
  if (policy !== undefined && policy !== 'noeviction') {
    findings.push({
      setting: 'maxmemory-policy',
      message:
        `Redis maxmemory-policy is ${policy}: under memory pressure it may delete deployments, approvals and ` +
        `pending pages; set maxmemory-policy noeviction`,
    });
  }
  if (appendonly !== undefined && appendonly !== 'yes') {
    findings.push({
      setting: 'appendonly',
      message:
        'Redis appendonly is off: a Redis restart loses what Preflight wrote since the last snapshot; ' +
        `set appendonly yes (appendfsync everysec)`,
    });
  }
  return findings;
}

/** CONFIG GET answers [name, value] (RESP2) or { name: value } (RESP3). */
function configValue(reply: unknown): string | undefined {
  if (Array.isArray(reply)) return typeof reply[1] === 'string' ? reply[1] : undefined;
  if (reply && typeof reply === 'object') {
    const value = Object.values(reply)[0];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
