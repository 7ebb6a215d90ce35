/**
 * Reads a Slack request's body before Bolt does and hands it over already read (Bolt uses `rawBody` when a request
 * carries one). A body no Slack request has (JSON `null`, an array or a string; a form with neither a command, a
 * payload nor ssl_check; a payload that is not an object with a type; an event callback without its event; a
 * button payload without actions) is answered at once, 401 when its signature is not Slack's and 400 when it is,
 * instead of reaching Bolt, which throws on some of them outside any handler (the process would exit) and leaves
 * the others unanswered for 3 s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Why Bolt could not handle this body, or undefined when it can (the same parse as Bolt's). */
export function unreadableSlackBody(text: string, contentType: string | undefined): string | undefined {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parse(text);
    if (typeof form.payload === 'string') return unreadablePayload(parseJson(form.payload));
    if (form.ssl_check === '1' || typeof form.command === 'string') return undefined;
    return 'a form body needs a command, a payload or ssl_check';
  }
  return unreadablePayload(parseJson(text));
}

function unreadablePayload(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body is not a JSON object';
  if (typeof body.type !== 'string') return 'the body has no type';
  if (body.type === 'event_callback' && !isObject(body.event)) return 'an event callback without its event';
  if (body.type === 'block_actions' && !(Array.isArray(body.actions) && body.actions.length > 0))
    return 'a block_actions payload without actions';
  return undefined;
}

function signedBySlack(req: IncomingMessage, text: string, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: text,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/** Wraps Bolt's request listener (see the top of this file); `read` reads a body within the server's limit. */
export function guardSlackBodies(
  listener: Listener,
  signingSecret: string,
  read: (req: IncomingMessage) => Promise<Buffer>,
): Listener {
  return async (req, res) => {
    const raw = await read(req);
    const text = raw.toString('utf8');
    const why = unreadableSlackBody(text, req.headers['content-type']);
    if (why !== undefined) {
      const signed = signedBySlack(req, text, signingSecret);
      res.writeHead(signed ? 400 : 401, { 'content-type': 'text/plain' });
      res.end(
        signed ? `not a Slack request Preflight can read: ${why}` : 'the Slack signature does not match',
      );
      return;
    }
    await listener(Object.assign(req, { rawBody: raw }), res);
  };
}
