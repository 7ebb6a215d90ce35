/**
 * Sends incident deliveries: the incident in the incident channel, pages and notes in its thread, DMs. A page
 * someone deleted is posted again while it is the latest and paging goes on (post-again.ts).
 */
import {
  type IncidentTopic,
  incidentPromptOpen,
  incidentTopicKey,
  literal,
  pagingStopped,
} from '../../core/index.ts';
import { renderIncidentTopic } from '../render/render-incident.ts';
import { attachTimeline } from './attach-timeline.ts';
import { pageDirectly, refusal } from './channel-refused.ts';
import { expandMessageLinks } from './expand-links.ts';
import { expandMentions } from './expand-mentions.ts';
import { startIncidentThreadAnew } from './incident-thread-anew.ts';
import { deliverOrAnew } from './new-thread.ts';
import { editOrPostAgain } from './post-again.ts';
import { directOnce, postOnce, rootOrPost } from './post-once.ts';
import { type ChatSenderDeps, type Delivery, keepWhileOpen, type Sent, toSent } from './send-types.ts';

/** Creates the incident half of the chat sender. */
export function createIncidentSender(deps: ChatSenderDeps): (delivery: Delivery) => Promise<Sent> {
  return async (delivery) => {
    const { incidentId, topic } = delivery.payload as { incidentId: string; topic: IncidentTopic };
    const incident = await deps.engine.incidents.get(incidentId);
    if (!incident) return { status: 'drop', reason: `incident ${incidentId} not found` };
    const port = deps.ports[incident.origin];
    if (!port) return { status: 'drop', reason: `no ${incident.origin} chat is connected` };
    // A page that waited (the chat was away) past someone answering it, or past its cause clearing, would call
    // people for nothing; the thread's own messages say who acknowledged or resolved it, or that it cleared.
    if (delivery.kind === 'post' && (topic.kind === 'page' || topic.kind === 'dm') && pagingStopped(incident))
      return {
        status: 'drop',
        stale: true,
        reason: `${incidentId} is ${incident.cleared ? 'cleared' : incident.state}: its page is no longer sent`,
      };
    const runbook = await deps.engine.runbooks.pinned(incident.runbookDigest);
    const deployment =
      incident.deploymentId !== undefined ? await deps.engine.store.get(incident.deploymentId) : undefined;
    const ctx = { incident, runbook, now: deps.engine.clock.now(), ...(deployment && { deployment }) };
    const draw = (shown: IncidentTopic) =>
      expandMessageLinks(expandMentions(renderIncidentTopic(ctx, shown), runbook, port), {
        port,
        index: deps.index,
      });
    const rendered = await draw(topic);
    // The resolution post carries the deployment's timeline picture, as its final report does.
    const message =
      delivery.kind === 'post' && deployment && topic.kind === 'note' && topic.key.startsWith('resolved:')
        ? await attachTimeline(deps, deployment, runbook, rendered, incident)
        : rendered;
    const key = incidentTopicKey(topic);
    // A page by direct message that the platform will not take is said in the thread, as PagerDuty's are: the
    // thread names the person as paged, so nobody must take that on trust.
    const undelivered = async (dm: Extract<IncidentTopic, { kind: 'dm' }>, reason: string) => {
      if (incident.state !== 'open' || !deps.noteIncident) return;
      const level = runbook.escalation.levels[dm.level]?.id ?? `L${dm.level + 1}`;
      const again = dm.repeat > 0 ? ` (again ${dm.repeat})` : '';
      await deps.noteIncident(
        incidentId,
        `dm-undelivered:${dm.person}:${dm.level}:${dm.repeat}`,
        `⚠️ The ${level}${again} page did not reach @{${dm.person}} by direct message (${literal(reason)}): reach them another way.`,
      );
    };
    const incidentRoot = () =>
      rootOrPost({
        port,
        index: deps.index,
        owner: incidentId,
        rootKey: 'incident',
        channel: runbook.channels.incident,
        now: Date.now(),
        render: () => draw({ kind: 'incident' }),
      });
    // The message as it goes to the incident channel (its thread, or as the thread's first message).
    const inThread = {
      port,
      index: deps.index,
      owner: incidentId,
      key,
      channel: runbook.channels.incident,
      message,
    };
    const deliver = async (): Promise<Sent> => {
      if (delivery.kind === 'refresh') {
        // A page someone deleted is posted again in the thread while it still calls for an answer.
        await editOrPostAgain({
          ...inThread,
          open: incidentPromptOpen(incident, topic),
          root: incidentRoot,
        });
        return { status: 'sent' };
      }
      if (topic.kind === 'dm') {
        const userId = port.userIdOf(topic.person, runbook.people[topic.person]);
        if (userId === undefined) {
          const reason = `${topic.person} has no ${port.platform} id for a direct message`;
          await undelivered(topic, reason);
          return { status: 'drop', reason };
        }
        // Indexed like any incident message, so 👀 on the page itself acknowledges; posted once.
        await directOnce({
          port,
          index: deps.index,
          owner: incidentId,
          key,
          userId,
          message,
          now: Date.now(),
        });
        return { status: 'sent' };
      }
      const root = topic.kind === 'incident' ? undefined : await incidentRoot();
      await postOnce({
        ...inThread,
        ...(root && { thread: root }),
        now: Date.now(), // compared with the platform's timestamps, not the deployment's clock
      });
      return { status: 'sent' };
    };
    try {
      return await deliverOrAnew(deliver, {
        rootEdited: topic.kind === 'incident',
        root: () => deps.index.find(incidentId, 'incident'),
        startAnew: (deleted) =>
          startIncidentThreadAnew(
            { port, index: deps.index, incident, runbook, draw },
            deleted,
            delivery.kind === 'refresh' ? topic : undefined,
          ),
      });
    } catch (error) {
      const sent = toSent(error);
      if (topic.kind === 'dm' && delivery.kind === 'post' && sent.status === 'drop')
        await undelivered(topic, sent.reason);
      const refused = refusal(error);
      // A channel that refuses the thread holds its pages behind what it refused: they go directly, now.
      if (refused !== undefined && delivery.kind === 'post' && topic.kind !== 'dm')
        await pageDirectly({ port, index: deps.index, ...(deps.log && { log: deps.log }) }, ctx, {
          error: refused,
          topic,
        });
      return await keepWhileOpen(sent, incident.state !== 'resolved', () =>
        deps.index.forgetAttempt(incidentId, key),
      );
    }
  };
}
