/** A TLS handshake that gets no answer: a plain Redis waits for the end of a command that never comes. */
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connector.ts';

/** A TLS server answers the handshake within a round trip; this long with TCP up and no answer is not TLS. */
export const TLS_STALL_MS = 2_000;
const POLL_MS = 100;

export interface TlsWatch {
  /** Resolves when a TLS connection's TCP side has been up `stallMs` without the handshake finishing. */
  readonly stalled: Promise<void>;
  stop(): void;
}

/** Watches `redis`'s connections (a new one on each reconnect); with no TLS in use, `stalled` never resolves. */
export function watchTlsHandshake(redis: RedisClient, stallMs = TLS_STALL_MS): TlsWatch {
  if (redis instanceof Cluster || !redis.options.tls) return { stalled: new Promise(() => {}), stop() {} };
  let poll: NodeJS.Timeout | undefined;
  const stalled = new Promise<void>((resolve) => {
    // Counted in polls, not wall time: a poll follows a pass over I/O, so a busy event loop is no stall.
    const polls = Math.ceil(stallMs / POLL_MS);
    let watched: unknown;
    let seen = 0;
    poll = setInterval(() => {
      const stream = redis.stream;
      // ioredis stays "connecting" until the handshake is done; the socket stops connecting once TCP is up.
      const handshaking =
        redis.status === 'connecting' && stream !== undefined && !stream.connecting && !stream.destroyed;
      seen = handshaking && stream === watched ? seen + 1 : 0;
      watched = handshaking ? stream : undefined;
      if (seen >= polls) resolve();
    }, POLL_MS);
  });
  return {
    stalled,
    stop() {
      clearInterval(poll);
    },
  };
}
