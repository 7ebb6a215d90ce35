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
  return {
    target,
    connect(options = {}) {
      switch (target.mode) {
        case 'standalone':
          return new Redis(target.url, requestOptions(options));
        case 'sentinel':
          return new Redis({
            sentinels: target.sentinels.map((h) => ({ ...h })),
            name: target.name,
            role: 'master',
            db: target.db,
            ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
            ...(target.tls && { enableTLSForSentinelMode: true }),
            // Hear +switch-master from the sentinels at once instead of on the next failed command.
            failoverDetector: true,
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
