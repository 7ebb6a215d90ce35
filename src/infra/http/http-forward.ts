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

/**
 * Forwards to 127.0.0.1:`port` over at most `maxSockets` connections at once (more requests wait their turn): one
 * client pipelining thousands of requests on one connection must not open thousands to that server, past its
 * own limit on connections and the process's on open files. A connection idle for `idleMs` is closed here, well
 * before that server closes it (its keepAliveTimeout): a request sent on one just as that server closed it would
 * be lost, its client answered 503. `body` is the request's body, read whole. When that server cannot be
 * reached (the process is stopping) the client gets 503 and what to do.
 */
export function forwardTo(
  port: number,
  connections: { readonly maxSockets: number; readonly idleMs: number },
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
    let answered = false;
    const onward = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        answered = true;
        answer.once('error', () => res.destroy());
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    onward.on('error', () => {
      // The bot's server may close its side once it has answered: what it answered still goes out whole.
      if (answered) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          error:
            'Preflight is stopping or restarting and cannot take this request now; send it again in a moment',
        }),
      );
    });
    res.on('close', () => {
      if (!res.writableFinished) onward.destroy();
    });
    onward.end(body);
  };
  return Object.assign(forward, { close: () => agent.destroy() });
}
