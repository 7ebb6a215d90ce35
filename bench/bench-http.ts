/**
 * The bench's HTTP client: node:http on kept-alive connections. `fetch` (undici, web streams) makes
 * several times the garbage of the request itself, and part of it outlives a young-generation collection; the
 * bench runs in the bot's process, so that garbage would be collected in the pauses the bot's acks are timed
 * through. Slack's servers are not in the bot's process: the bare baseline and the signed requests both go out
 * through this client, so each figure times the server, not the sender.
 */
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const agent = new Agent({ keepAlive: true });

export interface Answer {
  readonly status: number;
  readonly body: string;
  /** Request written → whole answer read. */
  readonly ms: number;
}

/**
 * POSTs `body` with `headers` (content-length added) and reads the whole answer. A kept-alive connection the server
 * closed as idle just as the request went out on it (ECONNRESET on a reused socket, before any answer) is tried
 * once more on a new one, as Node's documentation advises: the server never read that request.
 */
export function postTimed(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return postOnce(url, headers, body).catch((error: unknown) => {
    if (!(error instanceof ReusedSocketReset)) throw error;
    return postOnce(url, headers, body);
  });
}

/** A kept-alive connection was reset before the request on it was answered. */
class ReusedSocketReset extends Error {}

function postOnce(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.once('error', reject);
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && error.code === 'ECONNRESET' ? new ReusedSocketReset(error.message) : error),
    );
    req.end(body);
  });
}

/** Closes the kept-alive connections (at the end of a run). */
export const closeBenchHttp = (): void => agent.destroy();

/** A request ready to go: its headers (a signature included) and body. */
export interface SignedPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * POSTs `requests` one after the other from a client process of its own (http-client-child.ts), as Slack's servers
 * would: the times are the server's answers, not the work of whatever else the bench's process hosts.
 */
export async function postFromOwnProcess(requests: readonly SignedPost[]): Promise<Answer[]> {
  const url = requests[0]?.url;
  if (url === undefined || requests.some((r) => r.url !== url)) throw new Error('bench: one URL per batch');
  const child = fileURLToPath(new URL('./http-client-child.ts', import.meta.url));
  const { stdout } = await execa(process.execPath, ['--expose-gc', child], {
    input: JSON.stringify({ url, requests: requests.map(({ headers, body }) => ({ headers, body })) }),
  });
  const { ms, statuses } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    ms: number[];
    statuses: number[];
  };
  return ms.map((m, i) => ({ ms: m, status: statuses[i] ?? 0, body: '' }));
}
