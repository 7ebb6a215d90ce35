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

/** Deployments whose channel is remembered; past this, the one remembered longest is forgotten. */
const KNOWN_CHANNELS = 2_000;

export interface ChatNotifierDeps {
  readonly queue: ChatSendQueue;
  readonly engine: EngineDeps;
  /** The store's Redis connection: what is remembered is forgotten when it closes (a restarted Redis may differ). */
  readonly redis?: { on(event: 'close', listener: () => void): unknown };
}

/** Creates a notifier that queues each post or refresh in the right channel of its platform. */
export function createChatNotifier(deps: ChatNotifierDeps): Notifier {
  // A deployment's platform and pinned runbook never change, so neither does its channel: a step's result and its
  // status edit are queued without reading the whole deployment back.
  const channels = new Map<string, string>();
  deps.redis?.on('close', () => channels.clear());
  const channelOf = async (deploymentId: string): Promise<string | undefined> => {
    const known = channels.get(deploymentId);
    if (known !== undefined) return known;
    const deployment = await deps.engine.store.get(deploymentId);
    if (!deployment) return undefined;
    const runbook = await deps.engine.runbooks.pinned(deployment.runbookDigest);
    const channel = `${deployment.origin}:${runbook.channels.deploy}`;
    channels.set(deploymentId, channel);
    if (channels.size > KNOWN_CHANNELS) channels.delete(channels.keys().next().value ?? '');
    return channel;
  };
  const incidentChannelOf = async (incidentId: string): Promise<string | undefined> => {
    const incident = await deps.engine.incidents.get(incidentId);
    if (!incident) return undefined;
    const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
    return `${incident.origin}:${runbook.channels.incident}`;
  };
  const deliverAll: NonNullable<Notifier['deliverAll']> = async (deploymentId, effects) => {
    const channel = await channelOf(deploymentId);
    if (channel === undefined) return;
    await deps.queue.enqueueAll(
      effects.map((effect) => ({
        channel,
        kind: effect.type,
        key: `${deploymentId}:${topicKey(effect.topic)}`,
        payload: { deploymentId, topic: effect.topic } satisfies TopicDelivery,
        ...prioritizeTopic(deploymentId, effect.type, effect.topic),
      })),
    );
  };
  return {
    deliver: (deploymentId, effect) => deliverAll(deploymentId, [effect]),
    deliverAll,
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
    async refused(owner) {
      const channel = (await channelOf(owner)) ?? (await incidentChannelOf(owner));
      return channel !== undefined && (await deps.queue.refusedThread(channel, owner));
    },
    async channelRefuses(owner) {
      const channel = (await channelOf(owner)) ?? (await incidentChannelOf(owner));
      return channel !== undefined && (await deps.queue.refusedChannel(channel));
    },
  };
}
