/**
 * POSTs JSON to a URL with node:http(s) on kept-alive connections: an answer to a response_url costs a fraction of
 * the CPU `fetch` takes, and that CPU is taken from the process that acknowledges Slack's next request.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { retryAfterMs } from '../../core/index.ts';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** What the server answered: its status and, when it gave one, how long it asked to wait (Retry-After). */
export interface PostAnswer {
  readonly status: number;
  readonly retryAfterMs?: number;
}

/** Resolves with the answer once the whole of it was read; rejects on a network error or timeout. */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<PostAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') throw new Error(`cannot post to ${target.protocol} URLs`);
  const text = JSON.stringify(body);
  try {
    return await postOnce(target, secure, text, timeoutMs);
  } catch (error) {
    // A kept-alive connection the server closed just as it was reused: the request never reached it, so it is
    // sent again once, on a new connection (the retry Node's documentation gives for `reusedSocket`).
    if (!(error instanceof StaleConnection)) throw error;
    return postOnce(target, secure, text, timeoutMs);
  }
}

class StaleConnection extends Error {}

function postOnce(target: URL, secure: boolean, text: string, timeoutMs: number): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      res.resume();
      const retryAfter = retryAfterMs(res.headers['retry-after']);
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ...(retryAfter !== undefined && { retryAfterMs: retryAfter }),
        }),
      );
      res.once('error', reject);
    };
    const options = {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      timeout: timeoutMs,
    };
    const req = secure ? httpsRequest(target, options, onResponse) : httpRequest(target, options, onResponse);
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(stale ? new StaleConnection(error.message) : error);
    });
    req.end(text);
  });
}
