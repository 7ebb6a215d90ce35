/**
 * When the platform refuses a post in a deployment's or an incident's channel (Preflight was removed from it, lost
 * its permission, the channel was archived), the thread is dropped and nobody there sees it. So the people who
 * must act are told directly: the deployment's requester once (nobody can see or approve its gates), and each
 * person of a page that could not be posted gets that page as a direct message (a page is never only in the log).
 */
import {
  type ChatMessage,
  type ChatPort,
  ChatSendError,
  type Deployment,
  type Incident,
  type IncidentTopic,
  incidentTopicKey,
  type MessageIndex,
  type Runbook,
} from '../../core/index.ts';
import { renderIncidentTopic } from '../render/render-incident.ts';
import { expandMentions } from './expand-mentions.ts';
import type { SendLog } from './send-types.ts';

export interface RefusedDeps {
  readonly port: ChatPort;
  readonly index: MessageIndex;
  readonly log?: SendLog;
}

/** The platform's refusal, if `error` is one (a post that will not go however often it is tried). */
export function refusal(error: unknown): string | undefined {
  return error instanceof ChatSendError && error.kind === 'drop' ? error.message : undefined;
}

const NOTICE_KEY = 'notice:channel-refused';

/**
 * Tells the requester, once per deployment, that its thread cannot be posted and what to do (when the thread's
 * first message is what was refused; one refused reply under a posted thread is only that reply's).
 */
export async function tellRequester(
  deps: RefusedDeps,
  deployment: Deployment,
  runbook: Runbook,
  why: string,
): Promise<void> {
  if (await deps.index.find(deployment.id, 'status')) return;
  if (await deps.index.find(deployment.id, NOTICE_KEY)) return;
  const userId = deps.port.userIdOf(deployment.requestedBy, runbook.people[deployment.requestedBy]);
  if (userId === undefined) return;
  const text = `⚠️ Preflight's posts in ${runbook.channels.deploy} are refused (${why}), so ${deployment.id}'s thread (${deployment.service} ${deployment.version}: checklist, gates, step results) is not shown there and nobody can approve its gates. Give Preflight access to that channel (its next message posts the thread again), or stop it with \`/deploy abort ${deployment.id}\`.`;
  await send(deps, deployment.id, NOTICE_KEY, userId, { text, tone: 'warning' });
}

/** Sends a page that could not be posted in the incident channel to each paged person directly. */
export async function pageDirectly(
  deps: RefusedDeps,
  ctx: { readonly incident: Incident; readonly runbook: Runbook; readonly now: number },
  topic: Extract<IncidentTopic, { kind: 'page' }>,
  why: string,
): Promise<void> {
  const { incident, runbook } = ctx;
  const sent = incident.pages.find((p) => p.level === topic.level && p.repeat === topic.repeat);
  for (const person of sent?.people ?? []) {
    const dm = { kind: 'dm' as const, person, level: topic.level, repeat: topic.repeat };
    const key = incidentTopicKey(dm);
    // A level paged by direct message already has this one.
    if (await deps.index.find(incident.id, key)) continue;
    const userId = deps.port.userIdOf(person, runbook.people[person]);
    if (userId === undefined) continue;
    const page = expandMentions(renderIncidentTopic(ctx, dm), runbook, deps.port);
    const text = `⚠️ Preflight's posts in ${runbook.channels.incident} are refused (${why}), so this page comes to you directly.\n${page.text}`;
    await send(deps, incident.id, key, userId, { ...page, text });
  }
}

async function send(
  deps: RefusedDeps,
  owner: string,
  key: string,
  userId: string,
  message: ChatMessage,
): Promise<void> {
  try {
    // Indexed, so it goes once, and a 👀 on a page sent this way acknowledges the incident.
    await deps.index.save(owner, key, await deps.port.directMessage(userId, message));
  } catch (error) {
    deps.log?.warn({ err: (error as Error).message, owner, key }, 'could not send a direct message either');
  }
}
