/**
 * A message someone deleted in chat, as the platform tells it (Slack's message_deleted or tombstone, Discord's
 * MESSAGE_DELETE). When it is the current message of a prompt that still asks for an answer (a deployment's, or an
 * incident's latest page while paging goes on), or the first message of a thread still going on (a deployment's
 * status, an open incident's message), its edit is queued: the sender finds it gone and posts the prompt again in
 * its thread (send/post-again.ts) or starts the thread anew (send/new-thread.ts), as it does for a deletion nobody
 * heard. An earlier copy of a message, or anyone else's, is nothing to Preflight. Neither is a gate's reminder: its
 * ✅ and ❌ are the gate's own, which its prompt carries (posted again when deleted, with its buttons), its
 * approvers were called by that prompt, and the next reminder comes in its time; posted again, it would only call
 * them once more for a nudge someone chose to remove.
 */
import type { CommandServices } from '../commands/command.ts';
import { isIncidentId } from '../commands/reactions.ts';
import {
  incidentPromptOpen,
  incidentTopicOfKey,
  isFinal,
  type MessageIndex,
  type Platform,
  promptOpen,
  topicOfKey,
} from '../core/index.ts';

export interface DeletedMessage {
  readonly platform: Platform;
  readonly channel: string;
  readonly messageId: string;
}

export interface MessageDeletedDeps {
  readonly services: Pick<CommandServices, 'engine' | 'notifier'>;
  readonly index: Pick<MessageIndex, 'lookup' | 'find'>;
}

/** Queues the edit that mends a deleted prompt or thread; does nothing for a message that asks nothing now. */
export async function whenMessageDeleted(deps: MessageDeletedDeps, input: DeletedMessage): Promise<void> {
  const { engine, notifier } = deps.services;
  const target = await deps.index.lookup(input.platform, input.channel, input.messageId);
  if (!target) return;
  const { deploymentId: owner, key } = target;
  // Only the message that stands for the key now: one posted again already (a second delivery) is not again.
  const current = await deps.index.find(owner, key);
  if (current?.id !== input.messageId || current.channel !== input.channel) return;
  if (isIncidentId(owner)) {
    const incident = await engine.incidents.get(owner);
    const topic = incidentTopicOfKey(key);
    if (!incident || !topic) return;
    const open =
      topic.kind === 'incident' ? incident.state !== 'resolved' : incidentPromptOpen(incident, topic);
    if (open) await notifier.deliverIncident(owner, { type: 'refresh', topic });
    return;
  }
  const deployment = await engine.store.get(owner);
  const topic = topicOfKey(key);
  if (!deployment || !topic) return;
  const open = topic.kind === 'status' ? !isFinal(deployment) : promptOpen(deployment, topic);
  if (open) await notifier.deliver(owner, { type: 'refresh', topic });
}
