/**
 * Slack's advice for request verification: ignore a request whose timestamp is more than five minutes from now,
 * either way. Bolt refuses old ones only; this refuses those from the future too, before Bolt reads the body.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

const MAX_SKEW_S = 5 * 60;

/** Whether a request's Slack timestamp is more than five minutes ahead of `nowMs`. */
export function fromTheFuture(headers: IncomingHttpHeaders, nowMs: number): boolean {
  const timestamp = Number(headers['x-slack-request-timestamp']);
  return Number.isFinite(timestamp) && timestamp - nowMs / 1000 > MAX_SKEW_S;
}

/** Wraps Bolt's request listener: a timestamp more than five minutes ahead gets 401 and changes nothing. */
export function refuseFutureRequests(
  listener: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  now: () => number = Date.now,
): (req: IncomingMessage, res: ServerResponse) => void | Promise<void> {
  return (req, res) => {
    if (fromTheFuture(req.headers, now())) {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('the request timestamp is more than five minutes ahead of this server’s clock');
      return;
    }
    return listener(req, res);
  };
}
