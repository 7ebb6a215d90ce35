/**
 * Slack's advice for request verification: ignore a request whose timestamp is more than five minutes from now,
 * either way. Bolt refuses old ones only; this refuses those from the future too, before Bolt reads the body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_SKEW_S = 5 * 60;

/** Wraps Bolt's request listener: a timestamp more than five minutes ahead gets 401 and changes nothing. */
export function refuseFutureRequests(
  listener: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  now: () => number = Date.now,
): (req: IncomingMessage, res: ServerResponse) => void | Promise<void> {
  return (req, res) => {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp - now() / 1000 > MAX_SKEW_S) {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('the request timestamp is more than five minutes ahead of this server’s clock');
      return;
    }
    return listener(req, res);
  };
}
