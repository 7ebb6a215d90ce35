/** Whether a message still asks someone to act: what a deleted message is posted again for. */
import { type Deployment, isFinal } from '../deployment/deployment.ts';
import type { MessageTopic } from '../deployment/effects.ts';
import { type Incident, type IncidentTopic, pagingStopped } from '../incident/incident.ts';

/**
 * True while the message of `topic` waits for an answer: its gate pending, its checklist item unticked, its decision
 * still asked, its rollback still waiting for approval, its monitoring task still open. Any other message (a step's
 * result, a report, a note) and every message of a deployment that has ended asks nothing.
 */
export function promptOpen(deployment: Deployment, topic: MessageTopic): boolean {
  if (isFinal(deployment)) return false;
  switch (topic.kind) {
    case 'gate': {
      const gate = deployment.gates.find((g) => g.id === topic.gate);
      return gate?.status === 'pending' && gate.requestedAt !== undefined;
    }
    case 'checklist-item':
      return deployment.checklist.find((c) => c.id === topic.item)?.status === 'pending';
    case 'decision':
      return deployment.state === 'needs_decision' && deployment.decision?.askedAt === topic.at;
    case 'rollback':
      return deployment.rollback?.at === topic.at && !deployment.rollback.started;
    case 'task':
      return (
        deployment.state === 'monitoring' &&
        !deployment.tasksDone?.some((t) => t.window === topic.window && t.index === topic.index)
      );
    default:
      return false;
  }
}

/**
 * True while the message of `topic` in an incident's thread waits for an answer: the incident's latest page while
 * paging goes on (nobody has acknowledged, it is not resolved, its cause has not cleared). It calls its people by
 * name, and their 👀 or ✅ on it acknowledges; a deleted page takes its call with it, and the next level is paged
 * when nobody answers. An earlier page (the ladder has moved on), a note, a direct message and the incident's own
 * message (the first of its thread, started anew instead) ask nothing of this kind.
 */
export function incidentPromptOpen(incident: Incident, topic: IncidentTopic): boolean {
  if (topic.kind !== 'page' || pagingStopped(incident)) return false;
  const latest = incident.pages.at(-1);
  return latest?.level === topic.level && latest.repeat === topic.repeat;
}
