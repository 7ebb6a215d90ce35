/**
 * REDIS_URL written for one kind of Redis but naming another: a sentinel or a Cluster node as redis://, a plain
 * server as redis+sentinel:// or redis+cluster://, or a port where something else answers. Each is said at start
 * with the form to write, since waiting will not change what the server is.
 */
import type { Redis } from 'ioredis';
import { StartupError } from '../startup-error.ts';

/**
 * A refusal that says the server is of another kind than REDIS_URL's form expects, as what to write instead;
 * undefined for anything else. `reason` is the first line of the error Redis (or ioredis) gave.
 */
export function explainWrongKind(reason: string, where: string): StartupError | undefined {
  const noSentinel = /^(ERR unknown command 'sentinel')/i.exec(reason);
  if (noSentinel)
    return new StartupError(
      `the sentinels in REDIS_URL answer as a Redis server, not a Sentinel (${where}: ${noSentinel[1]}): for one server write redis://host:port; a sentinel listens on port 26379 unless told otherwise`,
    );
  if (/cluster support disabled/i.test(reason))
    return new StartupError(
      `the Redis in REDIS_URL is not a Cluster node (${where}: ${reason}): for one server write redis://host:port instead of redis+cluster://`,
    );
  const notResp = /^Unknown RESP type \d+ "(.)"/.exec(reason);
  if (notResp)
    return new StartupError(
      `something that is not Redis answers at ${where} (its first byte was "${notResp[1]}"${notResp[1] === 'H' ? ': an HTTP server?' : ''}): check the host and port in REDIS_URL`,
    );
  return undefined;
}

/** The `redis_mode` INFO gives (standalone, sentinel, cluster), or undefined where INFO is refused. */
async function readMode(redis: Redis): Promise<string | undefined> {
  try {
    return /^redis_mode:(\w+)/m.exec(await redis.info('server'))?.[1];
  } catch {
    return undefined;
  }
}

/** The primary a sentinel watches, for the URL to write; undefined when it watches none or more than one. */
async function readWatchedPrimary(redis: Redis): Promise<string | undefined> {
  try {
    const primaries = (await redis.call('SENTINEL', 'MASTERS')) as string[][];
    if (primaries.length !== 1) return undefined;
    const fields = primaries[0] ?? [];
    return fields[fields.indexOf('name') + 1];
  } catch {
    return undefined;
  }
}

/**
 * Throws a StartupError when the server a plain redis:// names is a sentinel (which takes no data) or a Cluster
 * node (which answers MOVED for the keys it does not hold, and fails over without telling a plain client).
 */
export async function refuseWrongKind(redis: Redis): Promise<void> {
  if ((redis.options.sentinels?.length ?? 0) > 0) return;
  const mode = await readMode(redis);
  const host = redis.options.host?.includes(':') ? `[${redis.options.host}]` : redis.options.host;
  const address = `${host}:${redis.options.port}`;
  const url = `redis${redis.options.tls ? 's' : ''}://${address}`;
  if (mode === 'sentinel') {
    const primary = (await readWatchedPrimary(redis)) ?? '<primary-name>';
    throw new StartupError(
      `${url} is a Redis Sentinel, not a Redis server: write REDIS_URL as redis${redis.options.tls ? 's' : ''}+sentinel://${address}/${primary} (list every sentinel, separated by commas)`,
    );
  }
  if (mode === 'cluster')
    throw new StartupError(
      `${url} is a node of a Redis Cluster: write REDIS_URL as redis${redis.options.tls ? 's' : ''}+cluster://${address} (a few nodes, separated by commas; the rest are found)`,
    );
}
