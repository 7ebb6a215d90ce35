/** Preflight's one HTTP server: health, readiness, metrics, and routes mounted by adapters (Slack, webhooks). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyLeftBehind, type LeftBehind } from './http-forward.ts';
import { HTTP_LIMITS, type HttpLimits, serverOptions, watchClients } from './http-limits.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  /** Adds a handler for `METHOD /path` (exact path; query strings ignored). */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly server: Server;
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** An HTTP answer other than 500, with a message fit for the caller. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The largest request body Preflight reads (Alertmanager's largest webhooks are far below it). */
export const BODY_LIMIT = 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MB`;

/** A body over the limit: its declared length in bytes, or `streamed` (sent in chunks, past the limit). */
export class BodyTooLarge extends HttpError {
  readonly size: LeftBehind;
  constructor(size: LeftBehind, limit: number) {
    // Just over the limit, both round alike ('1.0 MB; at most 1.0 MB'): then in bytes, to show the difference.
    super(
      413,
      size === 'streamed'
        ? `the body is over ${megabytes(limit)}; at most ${megabytes(limit)} is accepted`
        : megabytes(size) === megabytes(limit)
          ? `the body is ${size} bytes; at most ${megabytes(limit)} (${limit} bytes) is accepted`
          : `the body is ${megabytes(size)}; at most ${megabytes(limit)} is accepted`,
    );
    this.size = size;
  }
}

/**
 * The 413 for a request known to be over `limit` before a byte of its body is read (its Content-Length, or the
 * ingress thread's word that it left the body behind), or undefined.
 */
function tooLargeAhead(req: IncomingMessage, limit: number): BodyTooLarge | undefined {
  const leftBehind = bodyLeftBehind(req);
  if (leftBehind !== undefined) return new BodyTooLarge(leftBehind, limit);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  return declared > limit ? new BodyTooLarge(declared, limit) : undefined;
}

/**
 * A request sent with Expect: 100-continue is asked for its body only when its Content-Length is within `limit`
 * (Node would say 100 Continue to any): a larger one goes to `handle` unasked, where reading its body is refused
 * with the usual 413 at once, and Node closes its connection after the answer (its client may send the body anyway).
 */
export function continueWithin(
  server: Server,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  limit = BODY_LIMIT,
): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!tooLargeAhead(req, limit)) res.writeContinue();
    handle(req, res);
  });
}

/**
 * Reads a request body up to `limit` bytes; a larger one is a BodyTooLarge (413), known before a byte is read (from
 * its Content-Length, or the ingress thread's word), or as soon as it passes the limit. The rest of a refused body is read and dropped, so the
 * client, still sending, receives the 413 rather than a reset connection.
 */
export function readBodyBytes(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  const ahead = tooLargeAhead(req, limit);
  if (ahead) {
    req.resume();
    return Promise.reject(ahead);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      reject(new BodyTooLarge('streamed', limit));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The body as UTF-8 text (see readBodyBytes). */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

/** Whether the client went away, or was cut off for sending too slowly, before its request arrived whole. */
export const cutOff = (req: IncomingMessage): boolean => !req.complete && req.destroyed;

/** The longest part of a request's path an answer quotes back (a path may be kilobytes long). */
const PATH_SHOWN = 120;

/** The 404 answer: the path asked for (cut when long) and the routes this server has, so the caller can fix its URL. */
function noRoute(path: string, routes: readonly string[]): string {
  const shown = path.length > PATH_SHOWN ? `${path.slice(0, PATH_SHOWN)}… (${path.length} characters)` : path;
  return `no route for ${shown}; this server answers ${routes.join(', ')}`;
}

/** Creates the server with /healthz, /readyz and /metrics, within `limits` for every client (HTTP_LIMITS). */
export function createHttpServer(deps: {
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  metrics: () => Promise<{ contentType: string; body: string }>;
  log: { error(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  limits?: HttpLimits;
}): HttpServer {
  const limits = deps.limits ?? HTTP_LIMITS;
  const routes = new Map<string, RouteHandler>();
  const route = (method: string, path: string, handler: RouteHandler) =>
    routes.set(`${method.toUpperCase()} ${path}`, handler);
  route('GET', '/healthz', (_req, res) => send(res, 200, { status: 'ok' }));
  route('GET', '/readyz', async (_req, res) => {
    const verdict = await deps
      .ready()
      .catch((error: unknown) => ({ ok: false, checks: { error: (error as Error).message } }));
    send(res, verdict.ok ? 200 : 503, { status: verdict.ok ? 'ready' : 'not ready', checks: verdict.checks });
  });
  route('GET', '/metrics', async (_req, res) => {
    const { contentType, body } = await deps.metrics();
    send(res, 200, body, contentType);
  });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // HEAD is GET without the body (Node leaves the body out of a HEAD answer), as load balancers' probes expect.
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const handler = routes.get(`${method} ${path}`);
    if (!handler) {
      const allowed = [...routes.keys()]
        .filter((key) => key.endsWith(` ${path}`))
        .map((key) => key.split(' ')[0]);
      if (allowed.includes('GET')) allowed.push('HEAD');
      if (allowed.length === 0) send(res, 404, { error: noRoute(path, [...routes.keys()]) });
      else
        send(
          res,
          405,
          { error: `method ${req.method} not allowed on ${path}; use ${allowed.join(' or ')}` },
          undefined,
          {
            allow: allowed.join(', '),
          },
        );
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      // Nobody is left to answer; a request cut off for its pace was said once in the log (http-limits.ts).
      if (cutOff(req)) return;
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) deps.log.error({ err: error, path }, 'http handler failed');
      if (res.headersSent) res.end();
      else send(res, status, { error: status === 500 ? 'internal error' : (error as Error).message });
    });
  };
  const server = createServer(serverOptions(limits), handle);
  continueWithin(server, handle);
  watchClients(server, limits, deps.log);
  return {
    server,
    route,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
