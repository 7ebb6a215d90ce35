/** Turns `@{person}` tokens into the platform's mentions, and only those. */
import {
  type ChatMessage,
  type ChatPort,
  defuseMentions,
  MENTION_RE,
  mapOwnText,
  type Runbook,
} from '../../core/index.ts';

/**
 * Replaces each `@{id}` with a mention on `port`, or the person's name when they have no id there. A platform mention
 * already in the text came from outside (an alert's labels, step output) and is made plain first: it pings nobody;
 * an `@{id}` in outside text (a literal span) stays text.
 */
export function expandMentions(
  message: ChatMessage,
  runbook: Pick<Runbook, 'people'>,
  port: ChatPort,
): ChatMessage {
  const text = mapOwnText(defuseMentions(message.text), (own) =>
    own.replace(MENTION_RE, (_all, id: string) => {
      if (id.startsWith('!')) return port.mention(id.slice(1), id.slice(1));
      const person = runbook.people[id];
      return port.mention(port.userIdOf(id, person), person?.name ?? id);
    }),
  );
  return { ...message, text };
}
