/**
 * A local stand-in for the Slack Web API (node:http): `POST /api/<method>` with a form body and a Bearer token,
 * answered like Slack for the methods Preflight calls, plus file upload URLs and `response_url` endpoints.
 * Records every call with its arrival time; faults (429 with Retry-After, 500, platform errors) can be queued.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createSlackWorkspace, type FakeMessage, type SlackMethod } from './fake-slack-methods.ts';

export {
  BOT_USER_ID,
  DEPLOY_CHANNEL,
  type FakeMessage,
  INCIDENT_CHANNEL,
} from './fake-slack-methods.ts';

export interface SlackCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** Arrival time, ms (fractional). */
  readonly at: number;
  readonly status: number;
  readonly error?: string;
  /** What a successful call answered (its `ts` for a post). */
  readonly result?: Record<string, unknown>;
}

/** What a hook may answer instead: a 500 after the call was applied (Slack did it, the answer was lost). */
export type LostAnswer = { readonly status: 500 };

export type AnswerHook = (call: {
  method: string;
  params: Record<string, unknown>;
  token: string;
  result: Record<string, unknown>;
}) => Promise<LostAnswer | undefined> | LostAnswer | undefined;

/** A fault answers instead of the method; with `applied`, after doing it (Slack posted, the answer was lost). */
export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 500; applied?: true }
  /** Slack's `{ok: false, error}`; `needed`: the scope a missing_scope names. */
  | { error: string; needed?: string };

/**
 * How a response_url fails (`fail(RESPONSE_URL, …)`): 5xx, expired (404 `expired_url`), rate-limited (429 with
 * Retry-After, in seconds), the connection cut, or taken and answered late (`lateMs` after it was shown).
 */
export type ResponseFault =
  | { status: 500 }
  | { status: 404 }
  | { status: 429; retryAfter: number }
  | { drop: true }
  | { lateMs: number };

/** The "method" under which response_url faults are queued and their failed calls recorded. */
export const RESPONSE_URL = 'response_url';

export interface FakeSlackApi {
  readonly url: string;
  /** SLACK_API_URL for Preflight. */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  /** Bodies POSTed to response_url endpoints, by tag. */
  readonly responses: { tag: string; body: Record<string, unknown>; at: number }[];
  /**
   * What the person sees of a response_url's answers, as Slack shows them: each one a message of its own, except
   * that one with `replace_original: true` replaces the message posted before through the same response_url.
   */
  shown(tag: string): Record<string, unknown>[];
  readonly messages: FakeMessage[];
  /** Messages removed by chat.delete. */
  readonly deleted: FakeMessage[];
  readonly uploads: { fileId: string; raw: string }[];
  responseUrl(tag: string): string;
  /** The next `times` calls of `method` fail with `fault`; with `forMs`, only those made within that time. */
  fail(method: string, fault: Fault, times: number, forMs?: number): void;
  fail(method: typeof RESPONSE_URL, fault: ResponseFault, times: number, forMs?: number): void;
  /** Posts to `channel` answer `error` (e.g. not_in_channel) until called again with undefined. */
  refuse(channel: string, error: string | undefined): void;
  /**
   * Keeps Slack's per-channel pace for `channel`: a post arriving less than `gapMs` after the last one it took
   * answers 429 with Retry-After 1, as Slack does to a burst; undefined stops it.
   */
  pace(channel: string, gapMs: number | undefined): void;
  /** Drops the faults still queued for `method`: its next call works. */
  heal(method: string): void;
  message(channel: string, ts: string): FakeMessage | undefined;
  /**
   * Runs `hook` after a call is applied and before it is answered (the answer waits for it): a test can kill the
   * caller between Slack's doing and its answer, or answer a 500 instead (the call stays done). `token` tells
   * which process called.
   */
  beforeAnswer(hook: AnswerHook | undefined): void;
  /** Adds or replaces a Web API method. */
  handle(method: string, answer: SlackMethod): void;
  readonly server: Server;
  close(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

function parseForm(raw: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return params;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the fake on a free loopback port; `extraChannels` (names) join the workspace's public channels. */
export async function startFakeSlackApi(extraChannels: readonly string[] = []): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const responses: FakeSlackApi['responses'] = [];
  const uploads: FakeSlackApi['uploads'] = [];
  const faults = new Map<string, { fault: Fault | ResponseFault; until: number }[]>();
  const nextFault = (method: string) => {
    const queued = faults.get(method) ?? [];
    while (queued.length > 0 && (queued[0]?.until ?? 0) < Date.now()) queued.shift();
    return queued.shift()?.fault;
  };
  const refused = new Map<string, string>();
  const paced = new Map<string, { gapMs: number; last: number }>();
  /** Whether a post to `channel` now comes too soon after the last one taken; otherwise it counts as taken. */
  const tooSoon = (channel: string, at: number) => {
    const pace = paced.get(channel);
    if (!pace) return false;
    if (at - pace.last < pace.gapMs) return true;
    pace.last = at;
    return false;
  };
  let hook: AnswerHook | undefined;
  let base = '';
  const { methods, messages, deleted, find } = createSlackWorkspace(() => base, extraChannels);

  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    /** A request whose sender died before its body arrived (a bot killed mid-call) reaches Slack no more than it would. */
    const dropped = () => req.socket.destroy();
    const at = now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    void readRaw(req).then((raw) => {
      if (path.startsWith('/respond/')) {
        const failed = nextFault(RESPONSE_URL) as ResponseFault | undefined;
        if (failed && 'lateMs' in failed) {
          responses.push({ tag: path.slice('/respond/'.length), body: JSON.parse(raw || '{}'), at });
          calls.push({
            method: RESPONSE_URL,
            params: JSON.parse(raw || '{}'),
            at,
            status: 200,
            error: 'late',
          });
          const timer = setTimeout(() => reply(res, 200, 'ok'), failed.lateMs);
          res.once('close', () => clearTimeout(timer));
          return;
        }
        if (failed) {
          const status = 'status' in failed ? failed.status : 0;
          calls.push({
            method: RESPONSE_URL,
            params: JSON.parse(raw || '{}'),
            at,
            status,
            error: `http_${status}`,
          });
          if ('drop' in failed) return req.socket.destroy();
          if ('retryAfter' in failed)
            return reply(res, 429, 'rate_limited', { 'retry-after': String(failed.retryAfter) });
          return reply(res, status, status === 404 ? 'expired_url' : 'Internal Server Error');
        }
        responses.push({ tag: path.slice('/respond/'.length), body: JSON.parse(raw || '{}'), at });
        return reply(res, 200, 'ok');
      }
      if (path.startsWith('/upload/')) {
        uploads.push({ fileId: path.slice('/upload/'.length), raw });
        return reply(res, 200, 'OK - 200');
      }
      const method = path.replace(/^\/api\//, '');
      const params = parseForm(raw);
      const refusal = method === 'chat.postMessage' ? refused.get(String(params.channel)) : undefined;
      const limited =
        method === 'chat.postMessage' && tooSoon(String(params.channel), at)
          ? ({ status: 429, retryAfter: 1 } as const)
          : undefined;
      const fault =
        refusal !== undefined ? { error: refusal } : (limited ?? (nextFault(method) as Fault | undefined));
      if (fault) {
        if ('applied' in fault && fault.applied) methods[method]?.(params);
        const status = 'status' in fault ? fault.status : 200;
        calls.push({ method, params, at, status, error: 'error' in fault ? fault.error : `http_${status}` });
        if ('retryAfter' in fault)
          return reply(
            res,
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(fault.retryAfter) },
          );
        if (status === 500) return reply(res, 500, 'Internal Server Error');
        const { error, needed } = fault as { error: string; needed?: string };
        return reply(res, 200, { ok: false, error, ...(needed !== undefined && { needed }) });
      }
      const handler = methods[method];
      // Bot tokens for everything; the app-level token (Socket Mode) only opens connections.
      const token = req.headers.authorization ?? '';
      const authorized =
        /^Bearer xoxb-/.test(token) || (method === 'apps.connections.open' && /^Bearer xapp-/.test(token));
      const result = !authorized
        ? { ok: false, error: 'not_authed' }
        : handler
          ? { ok: true, ...handler(params) }
          : { ok: false, error: 'unknown_method' };
      calls.push({
        method,
        params,
        at,
        status: 200,
        ...(result.ok === false ? { error: String(result.error) } : { result }),
      });
      if (!hook) return reply(res, 200, result);
      void Promise.resolve(hook({ method, params, token, result }))
        .catch(() => undefined)
        .then((lost) => (lost ? reply(res, lost.status, 'Internal Server Error') : reply(res, 200, result)));
    }, dropped);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    responses,
    messages,
    deleted,
    uploads,
    responseUrl: (tag) => `${base}/respond/${tag}`,
    shown(tag) {
      const seen: Record<string, unknown>[] = [];
      for (const r of responses.filter((each) => each.tag === tag)) {
        if (r.body.replace_original === true && seen.length > 0) seen[seen.length - 1] = r.body;
        else seen.push(r.body);
      }
      return seen;
    },
    fail(method: string, fault: Fault | ResponseFault, times: number, forMs?: number) {
      const list = faults.get(method) ?? [];
      const until = forMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + forMs;
      for (let i = 0; i < times; i++) list.push({ fault, until });
      faults.set(method, list);
    },
    refuse(channel, error) {
      if (error === undefined) refused.delete(channel);
      else refused.set(channel, error);
    },
    pace(channel, gapMs) {
      if (gapMs === undefined) paced.delete(channel);
      else paced.set(channel, { gapMs, last: Number.NEGATIVE_INFINITY });
    },
    heal(method) {
      faults.delete(method);
    },
    message: find,
    beforeAnswer(next) {
      hook = next;
    },
    handle(method, answer) {
      methods[method] = answer;
    },
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
