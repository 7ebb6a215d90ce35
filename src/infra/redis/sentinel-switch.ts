/**
 * Moves Preflight's connections to the new primary as soon as the sentinels announce `+switch-master`, in place of
 * ioredis' own `failoverDetector`.
 *
 * Why not ioredis' detector: it disconnects the connector whenever the message arrives. When that is while a
 * reconnect is still asking a sentinel for the primary (the usual moment after the primary dies), ioredis ends the
 * client for good: SentinelConnector#connect() throws "Connection is closed." once `connecting` is false, and
 * Redis#connect() turns that rejection into status 'end' with no retry, failing every queued command too.
 *
 * Why not nothing: a dead primary drops its connections by itself, but a primary demoted alive (SENTINEL FAILOVER,
 * a partition) keeps them, and keeps taking writes, until a sentinel reconfigures it and kills its clients, which
 * takes seconds (its INFO is polled every 10 s). Writes taken there in between are lost.
 *
 * Here a connection that is up (`connect`/`ready`) and talking to the old primary reconnects (`disconnect(true)`,
 * which asks the sentinels again); one that is still connecting is left alone and checked when it becomes ready.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { RedisClient, RedisTarget } from './redis-connector.ts';

type SentinelTarget = Extract<RedisTarget, { mode: 'sentinel' }>;

const CHANNEL = '+switch-master';
/** How long after a switch a connection that comes up on the old primary is still sent on. */
const RECENT_SWITCH_MS = 60_000;

export interface SentinelSwitchWatch {
  /** Follows switches with this connection until `untrack` (Cluster connections are ignored). */
  track(client: RedisClient): () => void;
  close(): void;
}

interface Switch {
  readonly from: string;
  readonly to: string;
  readonly at: number;
}

/** `<name> <old-ip> <old-port> <new-ip> <new-port>`, as Sentinel publishes it. */
export function parseSwitchMessage(text: string): { name: string; from: string; to: string } | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [name, oldHost, oldPort, newHost, newPort] = parts as [string, string, string, string, string];
  return { name, from: `${oldHost}:${oldPort}`, to: `${newHost}:${newPort}` };
}

/** Where the connection's socket goes now, or undefined without one. */
function endpointOf(client: Redis): string | undefined {
  const { stream } = client;
  if (stream === undefined || stream.remoteAddress === undefined) return undefined;
  return `${stream.remoteAddress.replace(/^::ffff:/, '')}:${stream.remotePort}`;
}

/** Subscribes to `+switch-master` on every sentinel of `target` (each reconnects for as long as it is open). */
export function watchSentinelSwitch(
  target: SentinelTarget,
  options: { readonly logger: Logger; readonly now?: () => number },
): SentinelSwitchWatch {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const clients = new Set<Redis>();
  let last: Switch | undefined;

  /** Sends a connection that is up on the old primary of a recent switch to the new one. */
  const follow = (client: Redis) => {
    if (last === undefined || now() - last.at > RECENT_SWITCH_MS) return;
    // Only a connection that is up: disconnecting one that is still asking the sentinels would end it for good.
    if (client.status !== 'ready' && client.status !== 'connect') return;
    if (endpointOf(client) !== last.from) return;
    client.disconnect(true);
  };

  const onMessage = (channel: string, text: string) => {
    if (channel !== CHANNEL) return;
    const moved = parseSwitchMessage(text);
    if (moved === undefined || moved.name !== target.name) return;
    // Every sentinel announces the same switch: act once per switch.
    if (last !== undefined && last.from === moved.from && last.to === moved.to && now() - last.at < 10_000)
      return;
    last = { from: moved.from, to: moved.to, at: now() };
    logger.warn(
      { primary: target.name, from: moved.from, to: moved.to },
      'the sentinels moved the Redis primary; reconnecting to the new one',
    );
    for (const client of clients) follow(client);
  };

  const watchers = target.sentinels.map((sentinel) => {
    const watcher = new Redis({
      host: sentinel.host,
      port: sentinel.port,
      ...(target.sentinelPassword !== undefined && { password: target.sentinelPassword }),
      // A sentinel that is down is tried again every few seconds, for as long as Preflight runs.
      retryStrategy: (attempt: number) => Math.min(attempt * 500, 5_000),
      maxRetriesPerRequest: null,
    });
    watcher.on('error', (err: Error) =>
      logger.debug({ err: err.message }, 'sentinel watch connection error'),
    );
    watcher.on('message', onMessage);
    watcher.subscribe(CHANNEL).catch((err: Error) => {
      logger.debug({ err: err.message }, 'could not subscribe to the sentinel; ioredis retries');
    });
    return watcher;
  });

  return {
    track(client) {
      if (!(client instanceof Redis)) return () => undefined;
      clients.add(client);
      // A reconnect that asked the sentinels just before the switch may come up on the old primary.
      const onReady = () => follow(client);
      client.on('ready', onReady);
      return () => {
        clients.delete(client);
        client.off('ready', onReady);
      };
    },
    close() {
      for (const watcher of watchers) watcher.disconnect();
      clients.clear();
    },
  };
}
