/**
 * A deployment's thread that was deleted is started anew: a new status message in the deployment's channel (its
 * thread the new one), a word in it that the earlier thread was deleted, and the prompts people still have to
 * answer (open gates, checklist items, a decision, a rollback waiting) posted again in it. Each post goes once
 * across restarts (post-once.ts, keyed by the deleted thread); the new status message takes the place of the old
 * one in the message index last, so a process that dies midway starts the same new thread again when it retries.
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
import { postOnce } from './post-once.ts';

export interface ThreadAnew {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  readonly deployment: Deployment;
  readonly runbook: Runbook;
  /** Renders topics as the sender posts them now. */
  readonly draw: (topics: readonly MessageTopic[]) => Promise<ChatMessage>;
}

/** The thread a message is in, or starts (a thread's first message, on Discord, shares its id). */
const threadOf = (ref: MessageRef) => ref.thread ?? ref.id;

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
 * The status message whose thread takes the place of `deleted`: the one already in the index when it is not in
 * that thread (started anew before), else a new one, posted now with the word under it. The open prompts that were
 * in the deleted thread, and `changed` (a message whose edit found it gone), are posted again under it.
 */
export async function startThreadAnew(
  p: ThreadAnew,
  deleted: string,
  changed?: MessageTopic,
): Promise<MessageRef> {
  const { deployment, index, port } = p;
  const owner = deployment.id;
  const now = Date.now();
  const channel = p.runbook.channels.deploy;
  const post = (key: string, message: ChatMessage, thread?: MessageRef) =>
    postOnce({ port, index, owner, key, channel, message, now, ...(thread && { thread }) });
  const status = await index.find(owner, 'status');
  const anew = status === undefined || threadOf(status) === deleted;
  const root = anew ? await post(`status:anew:${deleted}`, await p.draw([{ kind: 'status' }])) : status;
  if (anew) {
    const text = `⚠️ ${owner}'s earlier thread was deleted, and the messages in it with it: Preflight goes on in this one. What still waits for an answer is posted again below; \`/deploy status ${owner}\` shows where it stands.`;
    await post(`thread-deleted:${deleted}`, { text, tone: 'warning' }, root);
  }
  for (const topic of [...openTopics(deployment), ...(changed ? [changed] : [])]) {
    const key = topicKey(topic);
    const earlier = await index.find(owner, key);
    if (!earlier || threadOf(earlier) !== deleted) continue;
    const ref = await post(`${key}:anew:${deleted}`, await p.draw([topic]), root);
    await index.save(owner, key, ref);
  }
  if (anew) {
    await index.save(owner, 'status', root);
    if (status) await markMoved(p, status, root);
  }
  return root;
}

/** The old status message, no longer edited, says where the deployment goes on; it is only a pointer, so best effort. */
async function markMoved(p: ThreadAnew, old: MessageRef, root: MessageRef): Promise<void> {
  const link = (await p.port.linkThread?.(root, 'the new thread')) ?? 'the new thread below';
  const { text } = await p.draw([{ kind: 'status' }]);
  const moved = `${text}\n↪️ This message is no longer updated: its thread was deleted, and ${p.deployment.id} goes on in ${link}.`;
  await p.port.update(old, { text: moved }).catch(() => undefined);
}
