/**
 * A deployment's thread that was deleted, or whose status message was (found gone when edited: on Slack the thread
 * goes with it, or stays under "This message was deleted"), is started anew (new-thread.ts): a new status message
 * in the deployment's channel, a word in its thread that the earlier thread was deleted, and the prompts people
 * still have to answer (open gates, checklist items, a decision, a rollback waiting) posted again in it.
 */
import {
  type ChatMessage,
  type ChatPort,
  type Deployment,
  type MessageIndex,
  type MessageRef,
  type MessageTopic,
  type Runbook,
  topicKey,
} from '../../core/index.ts';
import { startNewThread } from './new-thread.ts';

export interface ThreadAnew {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  readonly deployment: Deployment;
  readonly runbook: Runbook;
  /** Renders topics as the sender posts them now. */
  readonly draw: (topics: readonly MessageTopic[]) => Promise<ChatMessage>;
}

/** The messages of `deployment` that wait for someone's answer. */
function openTopics(deployment: Deployment): MessageTopic[] {
  const topics: MessageTopic[] = [];
  for (const item of deployment.checklist)
    if (item.status === 'pending') topics.push({ kind: 'checklist-item', item: item.id });
  for (const gate of deployment.gates)
    if (gate.status === 'pending' && gate.requestedAt !== undefined)
      topics.push({ kind: 'gate', gate: gate.id });
  if (deployment.state === 'needs_decision' && deployment.decision)
    topics.push({ kind: 'decision', at: deployment.decision.askedAt });
  if (deployment.rollback && !deployment.rollback.started)
    topics.push({ kind: 'rollback', at: deployment.rollback.at });
  return topics;
}

/**
 * The status message whose thread takes the place of `deleted`; the open prompts that were in the deleted thread,
 * and `changed` (a message whose edit found it gone), are posted again under it.
 */
export async function startThreadAnew(
  p: ThreadAnew,
  deleted: string,
  changed?: MessageTopic,
): Promise<MessageRef> {
  const owner = p.deployment.id;
  // A status message whose edit found it gone is the new first message itself, not a reply under it.
  const topics = [...openTopics(p.deployment), ...(changed && changed.kind !== 'status' ? [changed] : [])];
  return await startNewThread(
    {
      port: p.port,
      index: p.index,
      owner,
      channel: p.runbook.channels.deploy,
      rootKey: 'status',
      drawRoot: () => p.draw([{ kind: 'status' }]),
      word: `⚠️ ${owner}'s earlier thread was deleted, or its first message was: Preflight goes on in this one. What still waits for an answer is posted again below; \`/deploy status ${owner}\` shows where it stands.`,
      again: topics.map((topic) => ({ key: topicKey(topic), draw: () => p.draw([topic]) })),
    },
    deleted,
  );
}
