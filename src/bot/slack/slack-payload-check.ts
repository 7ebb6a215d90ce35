/**
 * What a Slack payload must hold for Bolt and Preflight's listeners to read it, on either input path: a body POSTed
 * to /slack/events (slack-body-guard.ts) and a Socket Mode envelope (socket-receiver.ts). Bolt and the Socket Mode
 * client throw on some bodies no Slack request has (outside any handler, or before a listener could answer), and a
 * listener keys its inbox entry by the payload's own id (`event_id`, `trigger_id`), so a payload without one is
 * refused here, said why, instead of reaching them.
 */

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a JSON body (an event callback, an interaction payload) cannot be handled, or undefined when it can. */
export function unreadablePayload(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body is not a JSON object';
  if (typeof body.type !== 'string') return 'the body has no type';
  if (body.type === 'event_callback' && !isObject(body.event)) return 'an event callback without its event';
  if (body.type === 'block_actions' && !(Array.isArray(body.actions) && body.actions.length > 0))
    return 'a block_actions payload without actions';
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
    if (!isObject(payload.event) || typeof payload.event.type !== 'string')
      return 'an event callback without its event';
    if (typeof payload.event_id !== 'string') return 'an event callback without its event_id';
    return undefined;
  }
  if (type === 'slash_commands') {
    const missing = ['command', 'trigger_id', 'user_id'].filter((k) => typeof payload[k] !== 'string');
    return missing.length > 0 ? `a slash command without ${missing.join(', ')}` : undefined;
  }
  return `an envelope of a type Preflight does not know (${String(type)})`;
}
