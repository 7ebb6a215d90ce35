/**
 * Requests as Slack sends them (tech-brief §1.2): slash commands and interactivity form-encoded with exactly
 * `application/x-www-form-urlencoded`, Events API as JSON, each signed `v0=HMAC-SHA256(v0:ts:body)` with the
 * app's signing secret. Payloads start from the real-shaped fixtures in tests/fixtures/slack/.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './load-runbook.ts';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const FORM = 'application/x-www-form-urlencoded';

type Json = Record<string, unknown>;

/** A fixture without its `_comment`. */
export function slackFixture(name: string): Json {
  const { _comment, ...rest } = JSON.parse(
    readFileSync(join(repoRoot, 'tests/fixtures/slack', `${name}.json`), 'utf8'),
  ) as Json;
  return structuredClone(rest);
}

export interface SlackRequest {
  readonly body: string;
  readonly contentType: string;
}

export interface SignOptions {
  readonly secret?: string;
  /** Unix seconds; now by default. */
  readonly timestamp?: number;
  /** Replaces the computed signature (forgeries). */
  readonly signature?: string;
  readonly retryNum?: number;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Headers of a signed request. */
export function signedHeaders(request: SlackRequest, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': request.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature':
      options.signature ?? signatureOf(options.secret ?? SIGNING_SECRET, timestamp, request.body),
    ...(options.retryNum !== undefined && {
      'x-slack-retry-num': String(options.retryNum),
      'x-slack-retry-reason': 'http_timeout',
    }),
  };
}

/** A slash command from `user`: `/deploy start toy v1.3.0` → command `/deploy`, text `start toy v1.3.0`. */
export function slashCommand(fields: {
  user: string;
  command: string;
  text: string;
  channel: string;
  responseUrl: string;
  triggerId: string;
}): SlackRequest {
  const base = slackFixture('slash-command') as Record<string, string>;
  const form = new URLSearchParams({
    ...base,
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: fields.command,
    text: fields.text,
    channel_id: fields.channel,
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  });
  return { body: form.toString(), contentType: FORM };
}

/**
 * A command line as a person types it (`/deploy start toy v1.3.0`), its answers going to `responseUrl` and its
 * trigger named by `tag`.
 */
export function typedCommand(fields: {
  user: string;
  line: string;
  channel: string;
  responseUrl: string;
  tag: string;
}): SlackRequest {
  const [command = '', ...words] = fields.line.split(' ');
  return slashCommand({
    user: fields.user,
    command,
    text: words.join(' '),
    channel: fields.channel,
    responseUrl: fields.responseUrl,
    triggerId: `trigger-${fields.tag}`,
  });
}

/** An Events API envelope around `event`. */
export function eventCallback(event: Json, eventId: string): SlackRequest {
  const base = slackFixture('event-reaction-added');
  return {
    body: JSON.stringify({ ...base, event, event_id: eventId, event_time: Math.floor(Date.now() / 1000) }),
    contentType: 'application/json',
  };
}

/** reaction_added / reaction_removed by `user` on a message. */
export function reactionEvent(fields: {
  user: string;
  channel: string;
  ts: string;
  emoji: string;
  added?: boolean;
  /** When the reaction was made, as Slack writes it ("1764751234.000200"); now by default. */
  eventTs?: string;
}): Json {
  const base = slackFixture(fields.added === false ? 'event-reaction-removed' : 'event-reaction-added');
  const event = base.event as Json;
  return {
    ...event,
    user: fields.user,
    reaction: fields.emoji,
    item: { type: 'message', channel: fields.channel, ts: fields.ts },
    event_ts: fields.eventTs ?? `${(Date.now() / 1000).toFixed(6)}`,
  };
}

/** A thread reply typed by a person. */
export function threadMessageEvent(fields: {
  user: string;
  channel: string;
  threadTs: string;
  text: string;
}): Json {
  const event = slackFixture('event-thread-message').event as Json;
  const ts = `${(Date.now() / 1000).toFixed(6)}`;
  return { ...event, ...fields, thread_ts: fields.threadTs, ts, event_ts: ts };
}

/**
 * Slack's message event when someone deletes a message Preflight posted: a first message with replies stays as a
 * tombstone ("This message was deleted.", told as message_changed); any other goes (message_deleted).
 */
export function deletionEvent(fields: {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  replies: number;
}): Json {
  const now = `${(Date.now() / 1000).toFixed(6)}`;
  const previous = {
    type: 'message',
    user: 'U0PREFLIGHT',
    bot_id: 'B0PREFLIGHT',
    text: fields.text,
    ts: fields.ts,
    ...(fields.threadTs !== undefined && { thread_ts: fields.threadTs }),
    ...(fields.replies > 0 && { thread_ts: fields.ts, reply_count: fields.replies }),
  };
  const common = {
    type: 'message',
    hidden: true,
    channel: fields.channel,
    channel_type: 'channel',
    ts: now,
    event_ts: now,
  };
  if (fields.replies === 0)
    return { ...common, subtype: 'message_deleted', deleted_ts: fields.ts, previous_message: previous };
  const tombstone = {
    ...previous,
    subtype: 'tombstone',
    text: 'This message was deleted.',
    user: 'USLACKBOT',
  };
  delete (tombstone as { bot_id?: string }).bot_id;
  return { ...common, subtype: 'message_changed', message: tombstone, previous_message: previous };
}

/** A block_actions click on a button of a posted message. */
let actions = 0;

/** Like Slack's: seconds with six decimals, unique per click (two clicks in one millisecond still differ). */
function nextActionTs(): string {
  actions = (actions + 1) % 1000;
  return `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(3, '0')}${String(actions).padStart(3, '0')}`;
}

export function blockAction(fields: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  value: string;
  responseUrl: string;
}): SlackRequest {
  const payload = slackFixture('block-actions');
  const actionTs = nextActionTs();
  const body = {
    ...payload,
    user: { ...(payload.user as Json), id: fields.user },
    container: {
      type: 'message',
      message_ts: fields.messageTs,
      channel_id: fields.channel,
      is_ephemeral: false,
    },
    channel: { id: fields.channel, name: 'deployments' },
    message: { ...(payload.message as Json), ts: fields.messageTs },
    response_url: fields.responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'preflight.actions.0',
        action_id: fields.actionId,
        value: fields.value,
        action_ts: actionTs,
      },
    ],
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(body) }).toString(), contentType: FORM };
}

/** POSTs a request to Preflight and reports the status, body and how long the answer took. */
export async function postToSlackEndpoint(
  url: string,
  request: SlackRequest,
  options: SignOptions = {},
): Promise<{ status: number; body: string; ms: number }> {
  // Signed before the clock starts: the time is Preflight's answer, not the sender's HMAC.
  const headers = signedHeaders(request, options);
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: request.body });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}
