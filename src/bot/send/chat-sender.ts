/**
 * Sends one queued delivery: re-reads the deployment, renders the topic as it stands now, and posts it (a
 * thread reply under the status message) or edits the message already posted for it. Posts go out once even when
 * a process dies mid-send (post-once.ts); one the channel refuses waits for it while the deployment is open. A
 * prompt whose edit finds it deleted is posted again while it is open (post-again.ts).
 */
import {
  isFinal,
  isLateAnswer,
  type MessageTopic,
  promptOpen,
  ThreadClosedError,
  topicKey,
} from '../../core/index.ts';
import { mergeMessages } from '../render/merge-messages.ts';
import { renderTopic } from '../render/render-topic.ts';
import { attachTimeline } from './attach-timeline.ts';
import { refusal, tellRequester } from './channel-refused.ts';
import { expandMessageLinks } from './expand-links.ts';
import { expandMentions } from './expand-mentions.ts';
import { createIncidentSender } from './incident-sender.ts';
import { createLateAnswerSender } from './late-answer-sender.ts';
import { deliverOrAnew } from './new-thread.ts';
import { editOrPostAgain } from './post-again.ts';
import { postOnce, rootOrPost } from './post-once.ts';
import { type ChatSenderDeps, type Delivery, keepWhileOpen, type Sent, toSent } from './send-types.ts';
import { startThreadAnew } from './thread-anew.ts';

export type { ChatSenderDeps, Delivery, Sent } from './send-types.ts';

/** Creates the send function the chat send queue calls. */
export function createChatSender(deps: ChatSenderDeps): (delivery: Delivery) => Promise<Sent> {
  const sendIncident = createIncidentSender(deps);
  const sendLateAnswer = createLateAnswerSender(deps);
  return async (delivery) => {
    if (isLateAnswer(delivery.payload)) return sendLateAnswer(delivery);
    if ((delivery.payload as { incidentId?: string }).incidentId !== undefined) return sendIncident(delivery);
    const { deploymentId, topic } = delivery.payload as { deploymentId: string; topic: MessageTopic };
    const deployment = await deps.engine.store.get(deploymentId);
    if (!deployment) return { status: 'drop', reason: `deployment ${deploymentId} not found` };
    const port = deps.ports[deployment.origin];
    if (!port) return { status: 'drop', reason: `no ${deployment.origin} chat is connected` };
    const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
    const key = topicKey(topic);
    // Step results that waited for the channel together go out as one message (chat-send-pick.ts).
    const merged = (delivery.also ?? []).map((a) => (a.payload as { topic: MessageTopic }).topic);
    const context = { deployment, runbook, now: deps.engine.clock.now() };
    const draw = (topics: readonly MessageTopic[]) =>
      expandMessageLinks(
        expandMentions(mergeMessages(topics.map((t) => renderTopic(context, t))), runbook, port),
        { port, index: deps.index },
      );
    const rendered = await draw([topic, ...merged]);
    // Only a post carries the picture: an edit would upload it again.
    const message =
      delivery.kind === 'post' && topic.kind === 'report' && isFinal(deployment)
        ? await attachTimeline(deps, deployment, runbook, rendered)
        : rendered;
    const channel = runbook.channels.deploy;
    const statusRoot = (now: number) =>
      rootOrPost({
        port,
        index: deps.index,
        owner: deploymentId,
        rootKey: 'status',
        channel,
        now,
        render: () => draw([{ kind: 'status' }]),
      });
    const target = { port, index: deps.index, owner: deploymentId, key, channel, message };
    const deliver = async (): Promise<Sent> => {
      if (delivery.kind === 'refresh') {
        // A prompt someone deleted is posted again in the thread while it still asks for an answer.
        await editOrPostAgain({
          ...target,
          open: promptOpen(deployment, topic),
          root: () => statusRoot(Date.now()),
        });
        return { status: 'sent' };
      }
      const now = Date.now(); // compared with the platform's timestamps, not the deployment's clock
      const root = topic.kind === 'status' ? undefined : await statusRoot(now);
      const ref = await postOnce({ ...target, ...(root && { thread: root }), now });
      for (const other of merged) await deps.index.save(deploymentId, topicKey(other), ref);
      return { status: 'sent' };
    };
    try {
      // A deleted thread, or one whose status message was deleted (Slack, found when it is edited), starts anew.
      return await deliverOrAnew(deliver, {
        rootEdited: topic.kind === 'status',
        root: () => deps.index.find(deploymentId, 'status'),
        startAnew: (deleted) =>
          startThreadAnew(
            { port, index: deps.index, deployment, runbook, draw },
            deleted,
            delivery.kind === 'refresh' ? topic : undefined,
          ),
      });
    } catch (error) {
      const refused = refusal(error);
      // An edit refused because its thread takes no more posts says so as a post would.
      if (refused !== undefined && (delivery.kind === 'post' || refused instanceof ThreadClosedError))
        await tellRequester(
          { port, index: deps.index, ...(deps.log && { log: deps.log }) },
          deployment,
          runbook,
          refused,
        );
      return await keepWhileOpen(toSent(error), !isFinal(deployment), () =>
        deps.index.forgetAttempt(deploymentId, key),
      );
    }
  };
}
