/**
 * A plain reaction: what the ingress thread may record and acknowledge itself, ahead of the bot's own work, as it
 * does a plain slash command (slack-plain-command.ts): an approval's ✅ then waits for no hop to the bot's server
 * and no Bolt. Plain is an event callback Bolt would hand straight to a reaction listener: JSON as Slack sends it,
 * a reaction_added or reaction_removed on a message with every field that listener reads, by a person other than
 * the bot (Bolt ignores the bot's own events), Slack's signature within its five minutes. Anything else goes to
 * Bolt in the bot, which answers it as it always has.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { InboxEntry } from '../../core/index.ts';
import { fromTheFuture } from './slack-clock-skew.ts';
import { isObject, unreadablePayload } from './slack-payload-check.ts';
import { reactionEntry } from './slack-reaction-record.ts';
import { signedBySlack } from './slack-signature.ts';

const JSON_TYPE = 'application/json';
const REACTIONS: Readonly<Record<string, boolean>> = { reaction_added: true, reaction_removed: false };

const text = (value: unknown): value is string => typeof value === 'string' && value !== '';
const textOrAbsent = (value: unknown) => value === undefined || typeof value === 'string';

function parsed(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The reaction's inbox entry when the request is a plain reaction (see above), else undefined. Without the bot's
 * own user id (Slack not asked yet, or it did not answer) no reaction is plain: Bolt knows what to ignore.
 */
export function plainReaction(
  headers: IncomingHttpHeaders,
  body: string,
  signingSecret: string,
  nowMs: number,
  botUserId: string | undefined,
): InboxEntry | undefined {
  if (botUserId === undefined || headers['content-type'] !== JSON_TYPE || fromTheFuture(headers, nowMs))
    return undefined;
  const callback = parsed(body);
  if (!isObject(callback) || callback.type !== 'event_callback' || !text(callback.event_id)) return undefined;
  if (unreadablePayload(callback) !== undefined) return undefined;
  const event = callback.event;
  if (!isObject(event) || typeof event.type !== 'string' || !Object.hasOwn(REACTIONS, event.type))
    return undefined;
  if (!text(event.user) || event.user === botUserId || !text(event.reaction)) return undefined;
  if (!textOrAbsent(event.item_user) || !textOrAbsent(event.event_ts)) return undefined;
  const item = event.item;
  if (!isObject(item) || item.type !== 'message' || !text(item.channel) || !text(item.ts)) return undefined;
  if (!signedBySlack(headers, body, signingSecret)) return undefined;
  return reactionEntry(
    {
      user: event.user,
      reaction: event.reaction,
      item,
      ...(event.item_user !== undefined && { item_user: event.item_user as string }),
      ...(event.event_ts !== undefined && { event_ts: event.event_ts as string }),
    },
    callback.event_id,
    REACTIONS[event.type] === true,
    botUserId,
  );
}
