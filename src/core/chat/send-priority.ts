/** How the chat send queue orders a deployment's or an incident's messages: what people must act on goes first. */
import type { MessageTopic } from '../deployment/effects.ts';
import type { IncidentTopic } from '../incident/incident.ts';

/** The scheduling hints a queued message carries (see ChatDelivery). */
export interface SendPriority {
  readonly urgent: boolean;
  readonly thread: string;
  readonly mergeable: boolean;
  /** The thread's first message (status, incident): the thread's replies need it posted. */
  readonly root: boolean;
  /** Queued posts this one makes stale (ChatDelivery.supersedes). */
  readonly supersedes?: string;
}

const ACT_ON: ReadonlySet<MessageTopic['kind']> = new Set([
  'gate',
  'gate-reminder',
  'decision',
  'authorization',
  'rollback',
]);

/** A deployment message: prompts and decisions are urgent; step results merge. */
export function prioritizeTopic(
  deploymentId: string,
  kind: 'post' | 'refresh',
  topic: MessageTopic,
): SendPriority {
  const post = kind === 'post';
  return {
    urgent: post && ACT_ON.has(topic.kind),
    thread: deploymentId,
    mergeable: post && topic.kind === 'step',
    root: post && topic.kind === 'status',
  };
}

/**
 * An incident message: the incident and its pages are urgent; notes are informational. A page (in the channel, or
 * by direct message) supersedes the incident's earlier page still queued there: each page says who is paged now,
 * so after an outage the latest is the one to see, once.
 */
export function prioritizeIncidentTopic(
  incidentId: string,
  kind: 'post' | 'refresh',
  topic: IncidentTopic,
): SendPriority {
  const post = kind === 'post';
  const page = post && (topic.kind === 'page' || topic.kind === 'dm');
  return {
    urgent: post && topic.kind !== 'note',
    thread: incidentId,
    mergeable: false,
    root: post && topic.kind === 'incident',
    ...(page && { supersedes: `${incidentId}:page` }),
  };
}
