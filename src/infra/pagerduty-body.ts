/**
 * The body of a PagerDuty Events API v2 event, within PagerDuty's limits (developer docs, Events API v2: a summary
 * of at most 1024 characters, an event of at most 512 KB), so a page is never refused for its size: a 413 would not
 * be taken on any retry. The other fields are runbook ids (at most 63 characters each) and Preflight's own words.
 */
import type { PagerEvent } from '../core/index.ts';

/** PagerDuty's limit on `payload.summary`, in characters. */
export const SUMMARY_MAX_CHARS = 1024;
/** PagerDuty's limit on a whole event, in bytes. */
export const EVENT_MAX_BYTES = 512 * 1024;
/** What `custom_details` may take of it: the rest of an event is a few KB at most. */
export const DETAILS_MAX_BYTES = 64 * 1024;

const ELLIPSIS = '…';

/** `text` cut to `max` characters (code points, never half a surrogate pair), ending in … when cut. */
export function cutToChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}${ELLIPSIS}`;
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/**
 * `details` as they fit in `maxBytes` of JSON: whole when they do; else their entries in order while they fit (a
 * long text cut to what room is left), and a `truncated` entry saying that some were left out or cut.
 */
export function boundDetails(
  details: Readonly<Record<string, unknown>>,
  maxBytes = DETAILS_MAX_BYTES,
): Record<string, unknown> {
  if (bytesOf(details) <= maxBytes) return { ...details };
  const note = {
    truncated:
      'some details were cut to fit PagerDuty’s event size limit; the incident thread has all of them',
  };
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    const room = maxBytes - bytesOf({ ...kept, ...note, [key]: '' });
    if (room <= 0) break;
    if (bytesOf(value) <= room) kept[key] = value;
    else if (typeof value === 'string' && room >= bytesOf(ELLIPSIS) - 2) kept[key] = cutToBytes(value, room);
  }
  return { ...kept, ...note };
}

/** `text` cut so that its JSON string takes at most `maxBytes` (escapes counted), ending in … when cut. */
function cutToBytes(text: string, maxBytes: number): string {
  // Each character takes a byte at least: no more than `maxBytes` of them can fit.
  let chars = [...text].slice(0, maxBytes);
  while (chars.length > 0 && bytesOf(`${chars.join('')}${ELLIPSIS}`) - 2 > maxBytes)
    chars = chars.slice(0, Math.floor(chars.length * 0.9));
  return `${chars.join('')}${ELLIPSIS}`;
}

/** The JSON body PagerDuty is sent for `event` (`now`: the event's timestamp). */
export function pagerDutyBody(routingKey: string, event: PagerEvent, now: Date): Record<string, unknown> {
  if (event.action !== 'trigger')
    return { routing_key: routingKey, dedup_key: event.dedupKey, event_action: event.action };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: event.dedupKey,
    payload: {
      summary: cutToChars(event.summary, SUMMARY_MAX_CHARS),
      source: event.source,
      severity: event.severity,
      timestamp: now.toISOString(),
      ...(event.component !== undefined && { component: event.component }),
      ...(event.group !== undefined && { group: event.group }),
      class: 'deployment_incident',
      ...(event.details !== undefined && { custom_details: boundDetails(event.details) }),
    },
    client: 'Preflight',
  };
}
