/**
 * Every Redis connection Preflight opens is made here: one server, a Sentinel-watched primary, or a Cluster.
 * Stores, BullMQ, the chat send queue, locks and the outbox reader all take their connections from `connect`.
 */
import { Cluster, Redis } from 'ioredis';

/** A connection to any of the three kinds of deployment. */
export type RedisClient = Redis | Cluster;

export interface RedisHost {
  readonly host: string;
  readonly port: number;
}

interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

/** Where Redis is, as REDIS_URL says. */
export type RedisTarget =
  | { readonly mode: 'standalone'; readonly url: string }
  | (RedisAuth & {
      readonly mode: 'sentinel';
      readonly sentinels: readonly RedisHost[];
      /** The name the sentinels monitor the primary by. */
      readonly name: string;
      readonly db: number;
      readonly sentinelPassword?: string;
    })
  | (RedisAuth & { readonly mode: 'cluster'; readonly nodes: readonly RedisHost[] });

export interface ConnectOptions {
  /** No offline queue and one retry: a write either reaches Redis now or fails (chat acks must not guess). */
  readonly failFast?: boolean;
}

export interface RedisConnector {
  readonly target: RedisTarget;
  connect(options?: ConnectOptions): RedisClient;
  /** Where Redis is, without credentials, for messages. */
  describe(): string;
}

/**
 * How long to wait before the next reconnect: 50 ms doubling up to 2 s, plus jitter. It always returns a number:
 * `null` would make ioredis end the client for good (event_handler.js closeHandler), and a bot must outlive any
 * outage. ioredis' default also never gives up but waits up to 5 s, which would add seconds to every failover.
 */
export const reconnectDelay = (attempt: number): number =>
  Math.min(50 * 2 ** Math.max(0, attempt - 1), 2_000) + Math.floor(Math.random() * 100);

/** Between rounds over all sentinels when none answered: never `null` (that also ends the client for good). */
const sentinelRoundDelay = (round: number): number => Math.min(round * 100, 1_000);

/**
 * A sentinel that accepts the connection but does not answer (stopped, overloaded, half-partitioned) is given
 * this long before the reconnect asks the next one; without it the reconnect waits on that sentinel for ever.
 */
const SENTINEL_COMMAND_TIMEOUT_MS = 5_000;

/** Once a failover demotes the old primary, a write there answers READONLY: reconnect and resend it. */
const reconnectOnReadonly = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

function authOptions(target: RedisAuth): { username?: string; password?: string; tls?: object } {
  return {
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    ...(target.tls && { tls: {} }),
  };
}

interface RequestOptions {
  enableOfflineQueue?: boolean;
  maxRetriesPerRequest: number | null;
  reconnectOnError?: (error: Error) => 2 | false;
}

function requestOptions(options: ConnectOptions): RequestOptions {
  // BullMQ needs maxRetriesPerRequest: null on its connections: a command waits out a reconnect or a failover.
  return options.failFast
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
    : { maxRetriesPerRequest: null, reconnectOnError: reconnectOnReadonly };
}

interface RetryOptions {
  retryStrategy: (attempt: number) => number;
}

const hosts = (list: readonly RedisHost[]) => list.map((h) => `${h.host}:${h.port}`).join(',');

/** The URL without user and password. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** Creates the connector for a target. */
export function createRedisConnector(target: RedisTarget): RedisConnector {
  const retry: RetryOptions = { retryStrategy: reconnectDelay };
  return {
    target,
    connect(options = {}) {
      switch (target.mode) {
        case 'standalone':
          return new Redis(target.url, { ...retry, ...requestOptions(options) });
        case 'sentinel':
          return new Redis({
            sentinels: target.sentinels.map((h) => ({ ...h })),
            name: target.name,
            role: 'master',
            db: target.db,
            ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
            ...(target.tls && { enableTLSForSentinelMode: true }),
            // Not ioredis' failover detector: a +switch-master arriving while a reconnect asks the sentinels ends
            // the client for good. open-redis follows switches instead (sentinel-switch.ts).
            failoverDetector: false,
            sentinelRetryStrategy: sentinelRoundDelay,
            sentinelCommandTimeout: SENTINEL_COMMAND_TIMEOUT_MS,
            ...retry,
            ...authOptions(target),
            ...requestOptions(options),
          });
        case 'cluster': {
          const { enableOfflineQueue, ...perNode } = requestOptions(options);
          return new Cluster(
            target.nodes.map((h) => ({ ...h })),
            {
              redisOptions: { ...authOptions(target), ...perNode },
              scaleReads: 'master',
              retryDelayOnFailover: 200,
              retryDelayOnClusterDown: 300,
              ...(enableOfflineQueue === false && { enableOfflineQueue: false }),
            },
          );
        }
      }
    },
    describe() {
      switch (target.mode) {
        case 'standalone':
          return withoutCredentials(target.url);
        case 'sentinel':
          return `Sentinel ${hosts(target.sentinels)} (primary "${target.name}")`;
        case 'cluster':
          return `Cluster ${hosts(target.nodes)}`;
      }
    },
  };
}
