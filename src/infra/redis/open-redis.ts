/** Opens Preflight's Redis: the one REDIS_URL names (server, Sentinel or Cluster) or an embedded redis-server. */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EMBEDDED_REDIS_DIR, type RedisServer, startRedisServer } from '../embedded-redis.ts';
import type { Logger } from '../logger.ts';
import { keepConnected } from './keep-connected.ts';
import {
  type ConnectOptions,
  createRedisConnector,
  type RedisClient,
  type RedisConnector,
  type RedisTarget,
} from './redis-connector.ts';
import { checkRedisDurability } from './redis-durability.ts';
import { watchSentinelSwitch } from './sentinel-switch.ts';
import { waitForRedis } from './wait-for-redis.ts';

export interface OpenRedis {
  readonly connector: RedisConnector;
  /** The shared command connection (stores, indexes). */
  readonly redis: RedisClient;
  /** A new connection, closed by `close`. */
  connect(options?: ConnectOptions): RedisClient;
  close(): Promise<void>;
}

/** Connects (waiting a bounded time for Redis to answer) and warns about settings that could lose data. */
export async function openRedis(options: {
  readonly target: RedisTarget | undefined;
  readonly embeddedDir?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Where what Redis's settings would lose is said (a command the person runs); by default, logged as a warning. */
  readonly warn?: (message: string) => void;
}): Promise<OpenRedis> {
  const { logger } = options;
  let embedded: RedisServer | undefined;
  let target = options.target;
  if (target === undefined) {
    const dir = resolve(options.embeddedDir ?? EMBEDDED_REDIS_DIR);
    await mkdir(dir, { recursive: true });
    embedded = await startRedisServer({ dir, env: options.env });
    target = { mode: 'standalone', url: embedded.url };
    logger.info({ dir, port: embedded.port }, 'started embedded Redis');
  }
  const connector = createRedisConnector(target);
  const where = connector.describe();
  const connections: RedisClient[] = [];
  let closing = false;
  // On Sentinel, one subscription per sentinel moves every connection to a new primary at once.
  const switchWatch = target.mode === 'sentinel' ? watchSentinelSwitch(target, { logger }) : undefined;
  // Every connection, and every duplicate made of one (BullMQ's blocking connections), stays connected until
  // closed on purpose, and follows the sentinels' switches.
  const watch = (connection: RedisClient) => {
    const untrack = switchWatch?.track(connection);
    keepConnected(connection, {
      logger,
      where,
      closing: () => closing,
      ...(untrack && { onClosed: untrack }),
      onDuplicate: watch,
    });
  };
  const connect = (connectOptions?: ConnectOptions): RedisClient => {
    const connection = connector.connect(connectOptions);
    connection.on('error', (err: Error) => logger.debug({ err: err.message }, 'redis connection error'));
    watch(connection);
    connections.push(connection);
    return connection;
  };
  const close = async () => {
    closing = true;
    switchWatch?.close();
    for (const connection of connections) connection.disconnect();
    await embedded?.stop();
  };
  const redis = connect();
  try {
    await waitForRedis(redis, where);
  } catch (error) {
    await close();
    throw error;
  }
  // One line when the connection goes and one when it is back, between the throttled warnings of the queues.
  let lostAt: number | undefined;
  redis.on('close', () => {
    if (closing || lostAt !== undefined) return;
    lostAt = Date.now();
    logger.error(
      { redis: connector.describe() },
      'lost the connection to Redis; reconnecting (work waits for it)',
    );
  });
  redis.on('ready', () => {
    if (lostAt === undefined) return;
    logger.warn({ redis: connector.describe(), downMs: Date.now() - lostAt }, 'Redis is reachable again');
    lostAt = undefined;
  });
  if (embedded === undefined) {
    // Someone else's Redis: say at start if it would drop or forget what Preflight keeps there.
    for (const finding of await checkRedisDurability(redis)) {
      if (options.warn) options.warn(finding.message);
      else logger.warn({ setting: finding.setting }, finding.message);
    }
  }
  return { connector, redis, connect, close };
}
