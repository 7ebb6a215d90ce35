/**
 * Hands a request on to Preflight's own server listening on the loopback interface, and its answer back: how the
 * ingress thread, which owns the public port, passes on everything it does not answer itself. Hop-by-hop headers
 * stay on their hop; the client's address goes along in X-Forwarded-For (clientAddress reads it back), and a body
 * left behind for its size is said in a header of its own (bodyLeftBehind reads it back).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
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

/**
 * Set on a request passed on without its body, which was over the limit: `<key> <size>`, the size the body's
 * declared length in bytes or `streamed` (sent in chunks, past the limit). The bot's server refuses the request as
 * if it had read the body (readBodyBytes), so each route gives and counts its own 413, as when it owns the port.
 */
const LEFT_BEHIND = 'x-preflight-body-over-limit';

/** What a body left behind for its size was: its declared length in bytes, or `streamed`. */
export type LeftBehind = number | 'streamed';

/**
 * What the ingress thread proves its word on a body left behind with (IngressSettings.forwardKey): new in each
 * process, so no client can have a body of its own refused. The thread's own copy of this module has another
 * key, so the thread heeds no client's header either.
 */
export const FORWARD_KEY = randomBytes(18).toString('base64url');

const digest = (text: string) => createHash('sha256').update(text).digest();
const FORWARD_KEY_DIGEST = digest(FORWARD_KEY);

/** The body the ingress thread of this process left behind for its size, or undefined. */
export function bodyLeftBehind(req: IncomingMessage): LeftBehind | undefined {
  const said = req.headers[LEFT_BEHIND];
  if (typeof said !== 'string') return undefined;
  const [key = '', size = ''] = said.split(' ');
  if (!timingSafeEqual(digest(key), FORWARD_KEY_DIGEST)) return undefined;
  const bytes = Number(size);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 'streamed';
}

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== LEFT_BEHIND),
  );
}

/** Who sent a request: the address that connected, or the one a forwarding hop on this machine named. */
export function clientAddress(req: IncomingMessage): string | undefined {
  const from = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-for'];
  if (from === undefined || !LOOPBACK.has(from) || typeof forwarded !== 'string') return from;
  return forwarded.split(',').at(-1)?.trim() || from;
}

/** Passes a request on with `body`, read whole; or, its body over the limit, without it (`leftBehind`). */
export type Forward = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  leftBehind?: LeftBehind,
) => void;

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
 * `answerMs`, 504, and the connection to it is let go. `failed` hears of each. `key` is that server's FORWARD_KEY.
 */
export function forwardTo(
  { port, key }: { readonly port: number; readonly key: string },
  connections: { readonly maxSockets: number; readonly idleMs: number; readonly answerMs: number },
  failed: (failure: ForwardFailure) => void,
): Forward & { close(): void } {
  // Without a timeout of its own, Node's agent keeps an idle connection until the server closes it.
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections.maxSockets,
    timeout: connections.idleMs,
  });
  const forward: Forward = (req, res, body, leftBehind) => {
    const from = req.socket.remoteAddress;
    const forwarded = req.headers['x-forwarded-for'];
    const headers = endToEnd(req.headers);
    if (from !== undefined)
      headers['x-forwarded-for'] = typeof forwarded === 'string' ? `${forwarded}, ${from}` : from;
    headers['content-length'] = String(body.length);
    if (leftBehind !== undefined) headers[LEFT_BEHIND] = `${key} ${leftBehind}`;
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
