/** Stable keys for the messages of a deployment: one per logical message, used to find, edit and dedupe it. */
import type { MessageTopic } from '../deployment/effects.ts';
import type { IncidentTopic } from '../incident/incident.ts';

/** The key of a topic's message within its deployment, e.g. `gate:security` or `step:deploy:migrate:1`. */
export function topicKey(topic: MessageTopic): string {
  switch (topic.kind) {
    case 'status':
    case 'checklist':
      return topic.kind;
    case 'authorization':
      return topic.at === undefined ? topic.kind : `${topic.kind}:${topic.at}`;
    case 'rollback':
    case 'decision':
    case 'verification':
      return `${topic.kind}:${topic.at}`;
    case 'report':
      return `report:${topic.state}`;
    case 'checklist-item':
      return `checklist-item:${topic.item}`;
    case 'gate':
      return `gate:${topic.gate}`;
    case 'gate-reminder':
      return `gate-reminder:${topic.gate}:${topic.count}`;
    case 'step':
      return `step:${topic.phase}:${topic.step}:${topic.attempt}`;
    case 'task':
      return `task:${topic.window}:${topic.index}`;
    case 'note':
      return `note:${topic.key}`;
  }
}

/** The topic a message key names, for the kinds a reaction can target. */
export function topicOfKey(key: string): MessageTopic | undefined {
  const [kind, a] = key.split(':');
  if (kind === 'gate' && a) return { kind: 'gate', gate: a };
  if (kind === 'checklist-item' && a) return { kind: 'checklist-item', item: a };
  if (kind === 'rollback' && a) return { kind: 'rollback', at: Number(a) };
  if (kind === 'decision' && a) return { kind: 'decision', at: Number(a) };
  if (kind === 'status') return { kind: 'status' };
  return undefined;
}

/** The key of an incident topic's message within its incident, e.g. `page:1:0` (the L2 page). */
export function incidentTopicKey(topic: IncidentTopic): string {
  switch (topic.kind) {
    case 'incident':
      return 'incident';
    case 'page':
      return `page:${topic.level}:${topic.repeat}`;
    case 'dm':
      return `dm:${topic.person}:${topic.level}:${topic.repeat}`;
    case 'note':
      return `note:${topic.key}`;
  }
}
