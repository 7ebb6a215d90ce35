/** The Notifier: chat effects become deliveries in the per-channel send queue, in commit order. */
import {
  type EngineDeps,
  type IncidentTopic,
  incidentTopicKey,
  type MessageTopic,
  type Notifier,
  prioritizeIncidentTopic,
  prioritizeTopic,
  topicKey,
} from '../core/index.ts';
import type { ChatSendQueue } from './chat-send-types.ts';

/** What a delivery carries: the sender re-reads the deployment or incident and renders the topic at send time. */
export type TopicDelivery =
  | { readonly deploymentId: string; readonly topic: MessageTopic }
  | { readonly incidentId: string; readonly topic: IncidentTopic };

/** Creates a notifier that queues each post or refresh in the right channel of its platform. */
export function createChatNotifier(deps: { queue: ChatSendQueue; engine: EngineDeps }): Notifier {
  return {
    async deliver(deploymentId, effect) {
      const deployment = await deps.engine.store.get(deploymentId);
      if (!deployment) return;
      const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
      const payload: TopicDelivery = { deploymentId, topic: effect.topic };
      await deps.queue.enqueue({
        channel: `${deployment.origin}:${runbook.channels.deploy}`,
        kind: effect.type,
        key: `${deploymentId}:${topicKey(effect.topic)}`,
        payload,
        ...prioritizeTopic(deploymentId, effect.type, effect.topic),
      });
    },
    async deliverIncident(incidentId, effect) {
      const incident = await deps.engine.incidents.get(incidentId);
      if (!incident) return;
      const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
      const where = effect.topic.kind === 'dm' ? `@${effect.topic.person}` : runbook.channels.incident;
      const payload: TopicDelivery = { incidentId, topic: effect.topic };
      await deps.queue.enqueue({
        channel: `${incident.origin}:${where}`,
        kind: effect.type,
        key: `${incidentId}:${incidentTopicKey(effect.topic)}`,
        payload,
        ...prioritizeIncidentTopic(incidentId, effect.type, effect.topic),
      });
    },
  };
}
