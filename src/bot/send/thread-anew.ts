/**
 * A deployment's thread that was deleted, or whose status message was (found gone when edited: on Slack the thread
 * goes with it, or stays under "This message was deleted"), is started anew (new-thread.ts): a new status message
 * in the deployment's channel, a word in its thread that the earlier thread was deleted, and the prompts people
 * still have to answer (open gates, checklist items, a decision, a rollback waiting, monitoring tasks) posted again
 * in it.
 */
import {
  type ChatMessage,
  type ChatPort,
  type Deployment,
  type MessageIndex,
  type MessageRef,
  type MessageTopic,
  promptOpen,
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

/** The messages of `deployment` that wait for someone's answer (promptOpen), monitoring tasks included. */
function openTopics(deployment: Deployment, runbook: Runbook): MessageTopic[] {
  const { decision, rollback } = deployment;
  const topics: MessageTopic[] = [
    ...deployment.checklist.map((item) => ({ kind: 'checklist-item' as const, item: item.id })),
    ...deployment.gates.map((gate) => ({ kind: 'gate' as const, gate: gate.id })),
    ...(decision ? [{ kind: 'decision' as const, at: decision.askedAt }] : []),
    ...(rollback ? [{ kind: 'rollback' as const, at: rollback.at }] : []),
    ...(runbook.monitoring ?? []).flatMap((period, window) =>
      (period.tasks ?? []).map((_, index) => ({ kind: 'task' as const, window, index })),
    ),
  ];
  return topics.filter((topic) => promptOpen(deployment, topic));
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
  const topics = [
    ...openTopics(p.deployment, p.runbook),
    ...(changed && changed.kind !== 'status' ? [changed] : []),
  ];
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
