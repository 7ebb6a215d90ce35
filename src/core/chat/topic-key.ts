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
      // A deployment can reach a state twice (a rollback asked again after one ended incomplete): each has its report.
      return topic.at === undefined ? `report:${topic.state}` : `report:${topic.state}:${topic.at}`;
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
    case 'rejection':
      // Keyed as the note it was when its text was fixed at the rejection.
      return `note:reason:${topic.gate}`;
    case 'note':
      return `note:${topic.key}`;
  }
}

/** The topic a message key names, for the kinds a reaction can target (and the status message). */
export function topicOfKey(key: string): MessageTopic | undefined {
  const [kind, a, b] = key.split(':');
  if (kind === 'gate' && a) return { kind: 'gate', gate: a };
  if (kind === 'checklist-item' && a) return { kind: 'checklist-item', item: a };
  if (kind === 'rollback' && a) return { kind: 'rollback', at: Number(a) };
  if (kind === 'decision' && a) return { kind: 'decision', at: Number(a) };
  if (kind === 'task' && a && b) return { kind: 'task', window: Number(a), index: Number(b) };
  if (kind === 'status') return { kind: 'status' };
  return undefined;
}

/**
 * The key of a gate's reminder note (`note:` is put before it): the `count`th reminder of the gate's opening at
 * `reopenedAt` (undefined for its first opening, when it was requested).
 */
export const gateReminderKey = (gate: string, reopenedAt: number | undefined, count: number): string =>
  `remind:${gate}${reopenedAt === undefined ? '' : `@${reopenedAt}`}:${count}`;

const REMINDER = /^note:remind:([^:@]+)(?:@\d+)?:\d+$/;

/**
 * The gate a message asks its approvers to answer: the gate's own message (`gate:sec`), or one of its reminders
 * (`note:remind:sec:2`), which asks the same people for the same gate.
 */
export function gateAskedBy(key: string): { readonly gate: string; readonly reminder: boolean } | undefined {
  const [kind, gate] = key.split(':');
  if (kind === 'gate' && gate) return { gate, reminder: false };
  const reminded = REMINDER.exec(key)?.[1];
  return reminded !== undefined ? { gate: reminded, reminder: true } : undefined;
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

const PAGE = /^page:(\d+):(\d+)$/;

/** The topic an incident's message key names, for the messages posted again when deleted (the incident's, a page). */
export function incidentTopicOfKey(key: string): IncidentTopic | undefined {
  if (key === 'incident') return { kind: 'incident' };
  const page = PAGE.exec(key);
  return page ? { kind: 'page', level: Number(page[1]), repeat: Number(page[2]) } : undefined;
}
