/**
 * Hands a request on to Preflight's own server listening on the loopback interface, and its answer back: how the
 * ingress thread, which owns the public port, passes on everything it does not answer itself. Hop-by-hop headers
 * stay on their hop; the client's address goes along in X-Forwarded-For (clientAddress reads it back).
 */
import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Who sent a request: the address that connected, or the one a forwarding hop on this machine named. */
export function clientAddress(req: IncomingMessage): string | undefined {
  const from = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-for'];
  if (from === undefined || !LOOPBACK.has(from) || typeof forwarded !== 'string') return from;
  return forwarded.split(',').at(-1)?.trim() || from;
}

export type Forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** What went wrong with a request passed on: the bot's server could not be reached (503), or did not answer (504). */
export interface ForwardFailure {
  readonly status: 503 | 504;
  readonly method: string | undefined;
  /** The path without its query, which can carry what a log must not. */
  readonly path: string;
  /** The connection's error (ECONNREFUSED, ECONNRESET …), for a 503. */
  readonly code?: string | undefined;
}

const seconds = (ms: number) => `${ms / 1000} s`;

/** Answers `status` with `error`, or cuts the connection when an answer has begun already. */
function fail(res: ServerResponse, status: number, error: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}

/**
 * Forwards to 127.0.0.1:`port` over at most `maxSockets` connections at once (more requests wait their turn): one
 * client pipelining thousands of requests on one connection must not open thousands to that server, past its
 * own limit on connections and the process's on open files. A connection idle for `idleMs` is closed here, well
 * before that server closes it (its keepAliveTimeout): a request sent on one just as that server closed it would
 * be lost, its client answered 503. `body` is the request's body, read whole. When that server cannot be
 * reached (the process is stopping) the client gets 503 and what to do; when it has not answered whole within
 * `answerMs`, 504, and the connection to it is let go. `failed` hears of each.
 */
export function forwardTo(
  port: number,
  connections: { readonly maxSockets: number; readonly idleMs: number; readonly answerMs: number },
  failed: (failure: ForwardFailure) => void,
): Forward & { close(): void } {
  // Without a timeout of its own, Node's agent keeps an idle connection until the server closes it.
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections.maxSockets,
    timeout: connections.idleMs,
  });
  const forward: Forward = (req, res, body) => {
    const from = req.socket.remoteAddress;
    const forwarded = req.headers['x-forwarded-for'];
    const headers = endToEnd(req.headers);
    if (from !== undefined)
      headers['x-forwarded-for'] = typeof forwarded === 'string' ? `${forwarded}, ${from}` : from;
    headers['content-length'] = String(body.length);
    const what = { method: req.method, path: (req.url ?? '/').split('?')[0]?.slice(0, 200) ?? '/' };
    let answered = false;
    let late = false;
    const onward = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        answered = true;
        answer.once('error', () => res.destroy());
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    // Counted from when the request is handed on, waiting for a free connection included: the client waits alike.
    const limit = setTimeout(() => {
      late = true;
      onward.destroy();
      failed({ status: 504, ...what });
      fail(
        res,
        504,
        `Preflight did not answer within ${seconds(connections.answerMs)}; it may be overloaded or stuck: send the request again later, and if this goes on, look at Preflight's log and restart it`,
      );
    }, connections.answerMs);
    res.once('finish', () => clearTimeout(limit));
    onward.on('error', (error: NodeJS.ErrnoException) => {
      // The bot's server may close its side once it has answered: what it answered still goes out whole.
      if (answered || late) return;
      clearTimeout(limit);
      failed({ status: 503, ...what, code: error.code });
      fail(
        res,
        503,
        'Preflight is stopping or restarting and cannot take this request now; send it again in a moment',
      );
    });
    res.on('close', () => {
      clearTimeout(limit);
      if (!res.writableFinished) onward.destroy();
    });
    onward.end(body);
  };
  return Object.assign(forward, { close: () => agent.destroy() });
}
