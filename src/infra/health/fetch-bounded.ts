/** One HTTP request for a health probe: a deadline, a cap on the body, and every failure put into words. */
import { formatDuration } from '../../core/index.ts';

/** What every probe needs to make a request. */
export interface ProbeContext {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface BoundedRequest extends ProbeContext {
  readonly url: string | URL;
  readonly method?: string;
  readonly maxBytes: number;
  readonly accept?: string;
}

export type BoundedResponse =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: string;
      /** The body was longer than `maxBytes` and was cut there. */
      readonly truncated: boolean;
      readonly durationMs: number;
    }
  | { readonly ok: false; readonly detail: string };

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** Makes the request; never throws: a transport failure comes back as `{ ok: false, detail }`. */
export async function fetchBounded(request: BoundedRequest): Promise<BoundedResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  const started = performance.now();
  try {
    const { url, authorization } = splitCredentials(request.url);
    const headers = {
      ...(request.accept !== undefined && { accept: request.accept }),
      ...(authorization !== undefined && { authorization }),
    };
    const response = await request.fetch(url, { method: request.method ?? 'GET', signal, headers });
    const { body, truncated } = await readCapped(response, request.maxBytes);
    const durationMs = Math.round(performance.now() - started);
    return { ok: true, status: response.status, body, truncated, durationMs };
  } catch (error) {
    if (request.signal?.aborted) return { ok: false, detail: 'cancelled' };
    if (deadline.aborted)
      return { ok: false, detail: `timed out after ${formatDuration(request.timeoutMs)}` };
    return { ok: false, detail: describeFailure(error) };
  }
}

/**
 * `http://user:pass@prom:9090/…` (a Prometheus behind basic auth, as its URL is often written): fetch refuses a URL
 * with credentials, so they are sent as an `Authorization: Basic` header instead, and the URL goes without them.
 */
function splitCredentials(target: string | URL): { url: string | URL; authorization?: string } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { url: target };
  }
  if (url.username === '' && url.password === '') return { url: target };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: decode(chunks, maxBytes), truncated: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop downloading: the rest of the body is never read.
      await reader.cancel().catch(() => undefined);
      return { body: decode(chunks, maxBytes), truncated: true };
    }
  }
}

function decode(chunks: readonly Uint8Array[], maxBytes: number): string {
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

interface NetError {
  readonly code?: string;
  readonly address?: string;
  readonly port?: number;
  readonly hostname?: string;
  readonly message?: string;
  readonly errors?: readonly NetError[];
}

/** `connection refused (ECONNREFUSED 127.0.0.1:8080)`, from fetch's `TypeError('fetch failed', { cause })`. */
function describeFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) return `request failed: ${String(error)}`;
  const cause = ((error as { cause?: unknown }).cause ?? error) as NetError;
  // Several addresses tried (IPv6 then IPv4): an AggregateError whose parts carry the details.
  const first = cause.errors?.[0] ?? cause;
  const code = cause.code ?? first.code;
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason === undefined) {
    const message = first.message || (error as NetError).message || 'unknown error';
    return `request failed: ${message}${code === undefined ? '' : ` (${code})`}`;
  }
  const where = first.address === undefined ? first.hostname : hostPort(first.address, first.port);
  return `${reason} (${code}${where === undefined ? '' : ` ${where}`})`;
}

function hostPort(address: string, port: number | undefined): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}
