/** Turns `@{person}` tokens into the platform's mentions. */
import { type ChatMessage, type ChatPort, MENTION_RE, type Runbook } from '../../core/index.ts';

/** Replaces each `@{id}` with a mention on `port`, or the person's name when they have no id there. */
export function expandMentions(
  message: ChatMessage,
  runbook: Pick<Runbook, 'people'>,
  port: ChatPort,
): ChatMessage {
  const text = message.text.replace(MENTION_RE, (_all, id: string) => {
    if (id.startsWith('!')) return port.mention(id.slice(1), id.slice(1));
    const person = runbook.people[id];
    return port.mention(port.userIdOf(id, person), person?.name ?? id);
  });
  return { ...message, text };
}
