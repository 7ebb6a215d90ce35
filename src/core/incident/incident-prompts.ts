/**
 * Where people answer an incident with a reaction: its message (👀 or ✅ acknowledges, 🔄 rolls back) and, while
 * nobody has acknowledged it, the direct messages of its latest pages (👀 or ✅). A chat adapter reads these back
 * after a gap (open-prompts.ts), and a page reads the acknowledgements back before it goes out.
 */
import { EMOJI } from '../chat/chat-types.ts';
import { incidentTopicKey } from '../chat/topic-key.ts';
import type { Incident } from './incident.ts';

/** The reactions that acknowledge an incident. */
export const ACK_EMOJI: readonly string[] = [EMOJI.ack, EMOJI.approve];

/** How many of an unanswered incident's latest pages have their direct messages read back. */
const DM_PAGES = 10;

export interface IncidentPrompt {
  /** The message's key within the incident (`incidentTopicKey`). */
  readonly key: string;
  /** The canonical emoji names that act on it. */
  readonly emoji: readonly string[];
}

/** The incident's messages that take a reaction; direct messages of its latest `dmPages` pages. */
export function incidentPrompts(incident: Incident, dmPages = DM_PAGES): IncidentPrompt[] {
  const prompts: IncidentPrompt[] = [
    { key: incidentTopicKey({ kind: 'incident' }), emoji: [...ACK_EMOJI, EMOJI.rollback] },
  ];
  if (incident.ack !== undefined) return prompts;
  for (const page of incident.pages.slice(-dmPages))
    for (const person of page.people)
      prompts.push({
        key: incidentTopicKey({ kind: 'dm', person, level: page.level, repeat: page.repeat }),
        emoji: ACK_EMOJI,
      });
  return prompts;
}
