/**
 * What a Slack payload must hold for Bolt and Preflight's listeners to read it, on either input path: a body POSTed
 * to /slack/events (slack-body-guard.ts) and a Socket Mode envelope (socket-receiver.ts). Bolt and the Socket Mode
 * client throw on some bodies no Slack request has (outside any handler, or before a listener could answer), and a
 * listener keys its inbox entry by the payload's own id (`event_id`, `trigger_id`), so a payload without one is
 * refused here, said why, instead of reaching them.
 */

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The events Preflight reads a person from (keyed by `event_id`, naming them by `user`): a reaction always has its
 * user; a message has one when a person wrote it (a bot's has none), and then it must be an id.
 */
const REACTIONS: readonly string[] = ['reaction_added', 'reaction_removed'];

const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Why an event callback (its event already an object) cannot be handled, or undefined when it can. */
function unreadableEvent(body: Record<string, unknown>, event: Record<string, unknown>): string | undefined {
  if (typeof event.type !== 'string') return 'an event callback without its event';
  if (!isId(body.event_id)) return 'an event callback without its event_id';
  const person = REACTIONS.includes(event.type) || (event.type === 'message' && event.user !== undefined);
  if (person && !isId(event.user)) return `a ${event.type} event without the id of its user`;
  return undefined;
}

/** Why a slash command's fields (a form or a Socket Mode payload) cannot be handled, or undefined when they can. */
export function unreadableCommand(fields: Record<string, unknown>): string | undefined {
  const missing = ['command', 'trigger_id', 'user_id'].filter((k) => !isId(fields[k]));
  return missing.length > 0 ? `a slash command without ${missing.join(', ')}` : undefined;
}

/** Why a JSON body (an event callback, an interaction payload) cannot be handled, or undefined when it can. */
export function unreadablePayload(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body is not a JSON object';
  if (typeof body.type !== 'string') return 'the body has no type';
  if (body.type === 'event_callback')
    return isObject(body.event) ? unreadableEvent(body, body.event) : 'an event callback without its event';
  if (body.type === 'block_actions') {
    if (!(Array.isArray(body.actions) && body.actions.length > 0))
      return 'a block_actions payload without actions';
    if (!isObject(body.user) || !isId(body.user.id))
      return 'a block_actions payload without the id of its user';
  }
  return undefined;
}

/** The Socket Mode messages that are not envelopes: nothing to acknowledge. */
export const SOCKET_NOTICES: readonly string[] = ['hello', 'disconnect'];

/** Why a Socket Mode envelope (already parsed) cannot be handled, or undefined when it can. */
export function unreadableEnvelope(envelope: Record<string, unknown>): string | undefined {
  const { type, payload } = envelope;
  if (typeof envelope.envelope_id !== 'string' || envelope.envelope_id === '')
    return 'a message without an envelope_id';
  if (type === 'interactive') return unreadablePayload(payload);
  if (!isObject(payload)) return `a ${String(type)} envelope without its payload`;
  if (type === 'events_api') {
    if (payload.type !== 'event_callback') return 'an events_api payload that is not an event callback';
    return unreadablePayload(payload);
  }
  if (type === 'slash_commands') return unreadableCommand(payload);
  return `an envelope of a type Preflight does not know (${String(type)})`;
}

const NAME_MAX = 60;
const named = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? JSON.stringify(value.slice(0, NAME_MAX)) : undefined;

/**
 * A payload said in a log line: its type, its name (callback_id, action_id, event type) and its person, never the
 * rest (a response_url, a trigger_id and the legacy token may post as the app).
 */
export function describeSlackBody(body: unknown): string {
  if (!isObject(body)) return 'not a JSON object';
  const user = isObject(body.user) ? body.user.id : (body.user_id ?? body.user);
  const event = isObject(body.event) ? named(body.event.type) : undefined;
  const action = Array.isArray(body.actions) && isObject(body.actions[0]) ? body.actions[0] : undefined;
  const name =
    named(body.callback_id) ?? named(action?.action_id ?? action?.name) ?? named(body.action_id) ?? event;
  return [
    `type ${named(body.type) ?? '(none)'}`,
    ...(name ? [`name ${name}`] : []),
    ...(named(user) ? [`user ${named(user)}`] : []),
  ].join(', ');
}
