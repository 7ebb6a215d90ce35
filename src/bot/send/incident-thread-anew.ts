/**
 * An incident's thread that was deleted is started anew (new-thread.ts): the incident message posted again in the
 * incident channel as the incident stands now (its acknowledge and roll back buttons, the link to its deployment's
 * thread), a word in its thread that the earlier thread was deleted, and a message whose edit found it gone. Pages
 * are not posted again: the incident message names who was paged, and nobody is called twice for one page. A thread
 * counts as deleted when a post or edit in it finds it gone, or when an edit of the incident message finds that gone
 * (on Slack the thread goes with it, or stays under "This message was deleted" without its buttons).
 */
import {
  type ChatMessage,
  type ChatPort,
  type Incident,
  type IncidentTopic,
  incidentTopicKey,
  type MessageIndex,
  type MessageRef,
  type Runbook,
} from '../../core/index.ts';
import { startNewThread } from './new-thread.ts';

export interface IncidentThreadAnew {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  readonly incident: Incident;
  readonly runbook: Runbook;
  /** Renders a topic as the sender posts it now. */
  readonly draw: (topic: IncidentTopic) => Promise<ChatMessage>;
}

/** The incident message whose thread takes the place of `deleted`; `changed` is posted again under it. */
export async function startIncidentThreadAnew(
  p: IncidentThreadAnew,
  deleted: string,
  changed?: IncidentTopic,
): Promise<MessageRef> {
  const owner = p.incident.id;
  const again = changed && changed.kind !== 'incident' && changed.kind !== 'dm' ? [changed] : [];
  return await startNewThread(
    {
      port: p.port,
      index: p.index,
      owner,
      channel: p.runbook.channels.incident,
      rootKey: incidentTopicKey({ kind: 'incident' }),
      drawRoot: () => p.draw({ kind: 'incident' }),
      word: `⚠️ ${owner}'s earlier thread was deleted, or its first message was: Preflight goes on in this one, and the message above stands for ${owner} now (react to it or use its buttons). \`/incident status ${owner}\` shows where it stands.`,
      again: again.map((topic) => ({ key: incidentTopicKey(topic), draw: () => p.draw(topic) })),
    },
    deleted,
  );
}
