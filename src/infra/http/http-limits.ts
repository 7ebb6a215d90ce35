/**
 * What Preflight's HTTP server gives one client, so that a slow or hostile one (headers sent a byte at a time, a body
 * that trickles, hundreds of connections left open) cannot hold sockets for minutes while Slack's and Alertmanager's
 * requests wait. Constants, not settings: design.md's environment has no variable for them. Tests pass smaller ones.
 */
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  /** From a connection's first byte (or its previous answer) until its request's headers have all arrived. */
  readonly headersMs: number;
  /** From the first byte until the whole request, body included, has arrived; at least headersMs. */
  readonly requestMs: number;
  /** How long a kept-alive connection may wait, idle, for its next request (a proxy in front should wait less). */
  readonly keepAliveMs: number;
  /** Connections open at once; one more is closed on arrival, so file descriptors remain for Redis and the chats. */
  readonly maxConnections: number;
  /** How long the bot's server may take to answer a request the ingress thread passes on; then the client gets 504. */
  readonly answerMs: number;
}

/** Slack and Alertmanager send a request whole at once, and Slack gives up on an answer after 3 s anyway. */
export const HTTP_LIMITS: HttpLimits = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  // Half the common soft limit of 1,024 open files.
  maxConnections: 512,
  // Slack gives up after 3 s, but a /metrics scrape (Prometheus waits 10 s by default) or an Alertmanager webhook
  // may take longer while the bot is loaded: they are given what a client is given to send its request
  // (requestMs). A bot that has not answered by then is stuck, and the connection to it is let go.
  answerMs: 30_000,
};

/** Drops past the connection limit said in the log at most this often: a flood is one line a minute, not one each. */
const DROP_LOG_EVERY_MS = 60_000;

type LimitLog = { warn(obj: object, msg?: string): void };

/**
 * The options to create the server with: Node's defaults are 60 s for headers and 5 minutes for a request. Headers
 * over Node's 16 KB are already answered 431.
 */
export function serverOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersMs,
    requestTimeout: limits.requestMs,
    keepAliveTimeout: limits.keepAliveMs,
    // Node looks for overdue requests every 30 s by default, which would let one run up to 30 s past its limit.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersMs / 5))),
  };
}

const seconds = (ms: number) => `${ms / 1000} s`;

/** The path without its query (which can carry what a log must not), cut short. */
const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0]?.slice(0, 200) ?? '/';

/**
 * Sets the limits serverOptions cannot carry, and says in the log, once each, a request cut off for coming too
 * slowly (Node answers it 408 and closes the connection) and connections dropped past the limit.
 */
export function watchClients(server: Server, limits: HttpLimits, log: LimitLog): void {
  server.maxConnections = limits.maxConnections;
  // The request a connection is reading, to name it when it is cut off while its body trickles.
  const reading = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage) => reading.set(req.socket, req));
  server.on('connection', (socket: Socket) => {
    // Read now: a socket cut off has lost its address by the time it says so.
    const from = socket.remoteAddress;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') return;
      const req = reading.get(socket);
      if (req && !req.complete)
        log.warn(
          { from, method: req.method, path: pathOf(req), limitMs: limits.requestMs },
          `HTTP request cut off (408): its body did not arrive within ${seconds(limits.requestMs)}`,
        );
      else
        log.warn(
          { from, limitMs: limits.headersMs },
          `HTTP request cut off (408): its headers did not arrive within ${seconds(limits.headersMs)}`,
        );
    });
  });
  let saidAt = Number.NEGATIVE_INFINITY;
  server.on('drop', (dropped?: { remoteAddress?: string }) => {
    if (Date.now() - saidAt < DROP_LOG_EVERY_MS) return;
    saidAt = Date.now();
    log.warn(
      { from: dropped?.remoteAddress, maxConnections: limits.maxConnections },
      `HTTP connection refused: ${limits.maxConnections} are open, the most Preflight keeps (said at most once a minute)`,
    );
  });
}
