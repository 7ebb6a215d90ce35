/**
 * Reads a Slack request's body before Bolt does and hands it over already read (Bolt uses `rawBody` when a request
 * carries one). A body no Slack request has (JSON `null`, an array or a string; a form with neither a command, a
 * payload nor ssl_check; a payload that is not an object with a type; an event callback without its event; a
 * button payload without actions; a command, event or click without the ids it is keyed and named by) is answered
 * at once, 401 when its signature is not Slack's and 400 when it is (said in the log with why, never the body),
 * instead of reaching Bolt, which throws on some of them outside any handler (the process would exit) and leaves
 * the others unanswered for 3 s. Slack's
 * `app_rate_limited` notice (it drops this app's events for a while), which Bolt answers with a 404 after 3 s, is
 * answered 200 and said in the log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { isObject, unreadableCommand, unreadablePayload } from './slack-payload-check.ts';
import { signedBySlack } from './slack-signature.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The content type of a slash command's body, exactly as Slack sends it. */
export const FORM = 'application/x-www-form-urlencoded';

/** Why Bolt could not handle this body, or undefined when it can (the same parse as Bolt's). */
export function unreadableSlackBody(text: string, contentType: string | undefined): string | undefined {
  if (contentType === FORM) {
    const form = parse(text);
    if (typeof form.payload === 'string') return unreadablePayload(parseJson(form.payload));
    if (form.ssl_check === '1') return undefined;
    if (typeof form.command === 'string') return unreadableCommand(form);
    return 'a form body needs a command, a payload or ssl_check';
  }
  const body = parseJson(text);
  if (body === undefined)
    return `the body is not JSON (sent as ${contentType || 'no content type'}; Slack sends JSON, or a form as exactly ${FORM})`;
  return unreadablePayload(body);
}

/** Wraps Bolt's request listener (see the top of this file); `read` reads a body within the server's limit. */
export function guardSlackBodies(
  listener: Listener,
  signingSecret: string,
  read: (req: IncomingMessage) => Promise<Buffer>,
  log: { warn(obj: object, msg?: string): void },
): Listener {
  return async (req, res) => {
    const raw = await read(req);
    const text = raw.toString('utf8');
    const notice = parseJson(text);
    if (isObject(notice) && notice.type === 'app_rate_limited') {
      const signed = signedBySlack(req.headers, text, signingSecret);
      if (signed)
        log.warn(
          { team: notice.team_id, minute: notice.minute_rate_limited },
          "Slack is dropping Preflight's events for now (app_rate_limited: more than 30,000 in an hour): reactions, thread replies and Events API messages made meanwhile never reach Preflight (slash commands and buttons still do); check the open prompts in their threads",
        );
      res.writeHead(signed ? 200 : 401, { 'content-type': 'text/plain' });
      res.end(signed ? '' : 'the Slack signature does not match');
      return;
    }
    const why = unreadableSlackBody(text, req.headers['content-type']);
    if (why !== undefined) {
      const signed = signedBySlack(req.headers, text, signingSecret);
      log.warn(
        { status: signed ? 400 : 401 },
        signed
          ? `Slack request refused: ${why}`
          : 'Slack request refused: the signature does not match (check SLACK_SIGNING_SECRET if Slack sent it)',
      );
      res.writeHead(signed ? 400 : 401, { 'content-type': 'text/plain' });
      res.end(
        signed ? `not a Slack request Preflight can read: ${why}` : 'the Slack signature does not match',
      );
      return;
    }
    await listener(Object.assign(req, { rawBody: raw }), res);
  };
}
