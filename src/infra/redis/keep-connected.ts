/**
 * A connection Preflight did not close must never stay closed. ioredis can end a client by itself, without quit or
 * disconnect: when its connector is disconnected while a (re)connect is still under way, Redis#connect() sets
 * status 'end' and never retries; after that every command answers "Connection is closed." for good. This starts
 * such a client again, logging it, with a growing pause so a client that keeps ending cannot spin.
 */
import type { Logger } from '../logger.ts';
import type { RedisClient } from './redis-connector.ts';

export interface KeepConnectedOptions {
  readonly logger: Logger;
  /** Where Redis is, without credentials, for the log line. */
  readonly where: string;
  /** True once everything is being closed on purpose. */
  readonly closing: () => boolean;
  /** Told when the connection is closed on purpose (quit or disconnect). */
  readonly onClosed?: () => void;
  /** Told of each duplicate made of this connection (BullMQ makes its blocking connections that way). */
  readonly onDuplicate?: (duplicate: RedisClient) => void;
  /** First pause before starting it again, doubled up to 5 s while it keeps ending (default 100 ms). */
  readonly firstDelayMs?: number;
}

const MAX_DELAY_MS = 5_000;

interface Closable {
  disconnect(reconnect?: boolean): void;
  quit(...args: unknown[]): Promise<unknown>;
  duplicate(...args: unknown[]): RedisClient;
}

/** Watches `connection` for an 'end' nobody asked for and connects it again. */
export function keepConnected(connection: RedisClient, options: KeepConnectedOptions): void {
  const { logger } = options;
  let closedOnPurpose = false;
  let endedInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  const closable = connection as unknown as Closable;
  const markClosed = () => {
    if (closedOnPurpose) return;
    closedOnPurpose = true;
    clearTimeout(timer);
    options.onClosed?.();
  };
  // ioredis itself calls disconnect(true) to reconnect; only disconnect() without it, and quit, close for good.
  const disconnect = closable.disconnect.bind(connection);
  closable.disconnect = (reconnect?: boolean) => {
    if (!reconnect) markClosed();
    disconnect(reconnect);
  };
  const quit = closable.quit.bind(connection);
  closable.quit = (...args: unknown[]) => {
    markClosed();
    return quit(...args);
  };
  if (options.onDuplicate) {
    const onDuplicate = options.onDuplicate;
    const duplicate = closable.duplicate.bind(connection);
    closable.duplicate = (...args: unknown[]) => {
      const copy = duplicate(...args);
      onDuplicate(copy);
      return copy;
    };
  }
  connection.on('ready', () => {
    endedInARow = 0;
  });
  connection.on('end', () => {
    if (closedOnPurpose || options.closing()) return;
    const delayMs = Math.min((options.firstDelayMs ?? 100) * 2 ** endedInARow, MAX_DELAY_MS);
    endedInARow++;
    logger.error(
      { redis: options.where, retryInMs: delayMs },
      'a Redis connection was closed by the client library, not by Preflight; connecting it again',
    );
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closedOnPurpose || options.closing() || connection.status !== 'end') return;
      connection.connect().catch((err: Error) => {
        logger.debug({ err: err.message }, 'redis reconnect after end failed; ioredis retries');
      });
    }, delayMs);
    timer.unref();
  });
}
