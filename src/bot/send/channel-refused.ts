/**
 * When the platform refuses a post in a deployment's or an incident's channel (Preflight was removed from it, lost
 * its permission, the channel was archived), nobody there sees the thread until a person fixes that (the send
 * queue keeps its messages and tries again); when the thread itself takes no more posts (deleted, locked), its
 * replies are given up. So the people who must act are told directly: the deployment's requester once (nobody can
 * see or approve its gates), and each person of a page that is not in the channel gets that page as a direct
 * message (a page is never only in the log).
 */
import {
  type ChatMessage,
  type ChatPort,
  type ChatSendError,
  type Deployment,
  type Incident,
  type IncidentTopic,
  incidentTopicKey,
  isFinal,
  type MessageIndex,
  type Runbook,
  type SentPage,
  ThreadClosedError,
} from '../../core/index.ts';
import { renderIncidentTopic } from '../render/render-incident.ts';
import { expandMentions } from './expand-mentions.ts';
import { directOnce, isRefusal } from './post-once.ts';
import type { SendLog } from './send-types.ts';

export interface RefusedDeps {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  readonly log?: SendLog;
}

/** The platform's refusal, if `error` is one (a post that will not go however often it is tried now). */
export function refusal(error: unknown): ChatSendError | undefined {
  return isRefusal(error) ? error : undefined;
}

const NOTICE_KEY = 'notice:channel-refused';
const CLOSED_NOTICE_KEY = 'notice:thread-closed';

/**
 * Tells the requester, once per deployment, that its thread cannot be posted and what to do: when its first
 * message was refused, when the channel refuses what follows it, or when the thread takes no more posts (deleted,
 * locked: its replies are given up); a reply dropped for a reason of its own under a posted thread is only that
 * reply's.
 */
export async function tellRequester(
  deps: RefusedDeps,
  deployment: Deployment,
  runbook: Runbook,
  error: ChatSendError,
): Promise<void> {
  const closed = error instanceof ThreadClosedError;
  // A deleted thread is started anew (thread-anew.ts): what it had goes on there, nobody has to be told apart.
  if (closed && error.deleted !== undefined) return;
  const posted = await deps.index.find(deployment.id, 'status');
  if (posted && error.kind !== 'refused' && !closed) return;
  // A finished deployment's thread waits on nobody: its report given up is only logged.
  if (closed && isFinal(deployment)) return;
  const noticeKey = closed ? CLOSED_NOTICE_KEY : NOTICE_KEY;
  if (await deps.index.find(deployment.id, noticeKey)) return;
  const userId = deps.port.userIdOf(deployment.requestedBy, runbook.people[deployment.requestedBy]);
  if (userId === undefined) return;
  const thread = `${deployment.service} ${deployment.version}: checklist, gates, step results`;
  if (closed) {
    deps.log?.warn(
      { deploymentId: deployment.id, err: error.message },
      "deployment's thread takes no more posts: its replies are given up; the requester is told",
    );
    const text = `⚠️ ${deployment.id}'s thread in ${runbook.channels.deploy} (${thread}) takes no more of Preflight's posts (${error.message}), so its new messages are given up and nobody can approve its gates there. Follow it with \`/deploy status ${deployment.id}\`, or stop it with \`/deploy abort ${deployment.id}\`.`;
    return await send(deps, deployment.id, noticeKey, userId, { text, tone: 'warning' });
  }
  const unseen = posted
    ? `the new messages in ${deployment.id}'s thread (${thread}) are not shown there`
    : `${deployment.id}'s thread (${thread}) is not shown there`;
  const text = `⚠️ Preflight's posts in ${runbook.channels.deploy} are refused (${error.message}), so ${unseen} and nobody can approve its gates. Give Preflight access to that channel: it tries again at least once a minute, and then posts the thread with everything waiting in it, in order. Or stop it with \`/deploy abort ${deployment.id}\`.`;
  await send(deps, deployment.id, NOTICE_KEY, userId, { text, tone: 'warning' });
}

/**
 * Sends the pages of an open incident that are not in the incident channel to each paged person directly, once:
 * when the channel refuses the thread, every page waiting in it; when one page was dropped, that one.
 */
export async function pageDirectly(
  deps: RefusedDeps,
  ctx: { readonly incident: Incident; readonly runbook: Runbook; readonly now: number },
  refused: { readonly error: ChatSendError; readonly topic: IncidentTopic },
): Promise<void> {
  const { incident, runbook } = ctx;
  const { error, topic } = refused;
  if (incident.state !== 'open') return;
  for (const sent of incident.pages) {
    const page = { kind: 'page' as const, ...pageOf(sent) };
    if (error.kind !== 'refused' && incidentTopicKey(page) !== incidentTopicKey(topic)) continue;
    if (await deps.index.find(incident.id, incidentTopicKey(page))) continue;
    for (const person of sent.people) {
      const dm = { kind: 'dm' as const, person, ...pageOf(sent) };
      const key = incidentTopicKey(dm);
      // A level paged by direct message already has this one.
      if (await deps.index.find(incident.id, key)) continue;
      const userId = deps.port.userIdOf(person, runbook.people[person]);
      if (userId === undefined) continue;
      const message = expandMentions(renderIncidentTopic(ctx, dm), runbook, deps.port);
      const text = `⚠️ Preflight's posts in ${runbook.channels.incident} are refused (${error.message}), so this page comes to you directly.\n${message.text}`;
      await send(deps, incident.id, key, userId, { ...message, text });
    }
  }
}

const pageOf = (sent: SentPage) => ({ level: sent.level, repeat: sent.repeat });

async function send(
  deps: RefusedDeps,
  owner: string,
  key: string,
  userId: string,
  message: ChatMessage,
): Promise<void> {
  try {
    // Indexed, so it goes once, and a 👀 on a page sent this way acknowledges the incident.
    await directOnce({ port: deps.port, index: deps.index, owner, key, userId, message, now: Date.now() });
  } catch (error) {
    deps.log?.warn({ err: (error as Error).message, owner, key }, 'could not send a direct message either');
  }
}
