/** Incident messages in the incident channel: the incident with health and a rollback prompt, pages, DMs. */
import {
  awaitsRollbackApproval,
  type ChatMessage,
  type Deployment,
  describeMeasurement,
  describeState,
  formatDuration,
  formatElapsed,
  type Incident,
  type IncidentTopic,
  linkThread,
  literal,
  offersRollback,
  type Runbook,
} from '../../core/index.ts';
import { clock, mentions } from './format.ts';

export interface IncidentContext {
  readonly incident: Incident;
  readonly runbook: Runbook;
  readonly deployment?: Deployment;
  readonly now: number;
}

function renderMain(ctx: IncidentContext): ChatMessage {
  const { incident: inc, runbook, deployment } = ctx;
  const zone = runbook.timezone;
  const by = inc.openedBy === 'preflight' ? 'Preflight' : `@{${inc.openedBy}}`;
  const icon = inc.state === 'resolved' ? '✅' : inc.state === 'acknowledged' ? '👀' : '🚨';
  const lines = [`${icon} *${inc.id}* ${inc.service} ${inc.environment}: ${literal(inc.title)}`];
  lines.push(
    `State: ${inc.state} · opened by ${by} at ${clock(inc.openedAt, zone)} · trigger ${inc.trigger}`,
  );
  if (inc.measured) lines.push(`Measured: ${describeMeasurement(inc.measured)}`);
  if (inc.health) lines.push(`Health: ${literal(inc.health)}`);
  for (const cause of inc.causes ?? [])
    lines.push(
      `Also at ${clock(cause.at, zone)}: ${literal(cause.title)}${cause.measured ? ` (${describeMeasurement(cause.measured)})` : ''}`,
    );
  if (inc.cleared)
    lines.push(
      `Cleared at ${clock(inc.cleared.at, zone)} (re-check: ${literal(inc.cleared.detail)}); paging stopped.`,
    );
  const offer = deployment !== undefined && inc.state !== 'resolved' && offersRollback(runbook, deployment);
  if (deployment) {
    const back = deployment.previousVersion ? ` to ${deployment.previousVersion}` : '';
    const state = awaitsRollbackApproval(deployment)
      ? 'waiting for its rollback to be approved'
      : describeState(deployment.state);
    lines.push(
      `Deployment: ${deployment.id} (${deployment.version}, ${state}), thread in ${linkThread(runbook.channels.deploy, deployment.id, 'status')}`,
    );
    if (offer && deployment.rollback && awaitsRollbackApproval(deployment))
      lines.push(
        `Rollback asked by @{${deployment.rollback.by}}; approve it${back}: \`/rollback ${deployment.id}\`, react 🔄, or press Roll back.`,
      );
    else if (offer)
      lines.push(`Roll back${back}: \`/rollback ${deployment.id}\`, react 🔄, or press Roll back.`);
  }
  // Each level's first page, then the repeats of the last level as one entry: the line stays short however long
  // nobody answers.
  const repeats = inc.pages.filter((p) => p.repeat > 0);
  const lastRepeat = repeats.at(-1);
  const paged = [
    ...inc.pages
      .filter((p) => p.repeat === 0)
      .map((p) => `${p.levelId} ${mentions(p.people)} at ${clock(p.at, zone)}`),
    ...(lastRepeat
      ? [
          `${lastRepeat.levelId} again ${repeats.length === 1 ? 'once' : `${repeats.length} times`}, last ${mentions(lastRepeat.people)} at ${clock(lastRepeat.at, zone)}`,
        ]
      : []),
  ];
  if (paged.length > 0) lines.push(`Paged: ${paged.join('; ')}`);
  if (inc.state === 'open' && inc.next) {
    const level = runbook.escalation.levels[inc.next.level];
    lines.push(
      `Next: ${level?.id ?? ''} at ${clock(inc.openedAt + inc.next.after, zone)} unless someone answers with \`/ack ${inc.id}\`.`,
    );
  }
  if (inc.ack)
    lines.push(
      `Acknowledged by @{${inc.ack.by}} at ${clock(inc.ack.at, zone)} (${formatElapsed(inc.ack.at - inc.openedAt)} after it opened).`,
    );
  if (inc.resolution)
    lines.push(
      `Resolved by @{${inc.resolution.by}} at ${clock(inc.resolution.at, zone)}${inc.resolution.note ? `: ${literal(inc.resolution.note)}` : ''}`,
    );
  const contacts = (runbook.contacts ?? [])
    .map((c) => [c.team, c.email, c.phone].filter(Boolean).join(' '))
    .join(' · ');
  if (contacts && inc.state === 'open') lines.push(`Contacts: ${contacts}`);
  const buttons =
    inc.state === 'open'
      ? [{ action: 'incident.ack' as const, label: 'Acknowledge', value: inc.id, style: 'primary' as const }]
      : [];
  if (deployment && offer) {
    buttons.push({
      action: 'rollback.request' as const,
      label: `Roll back ${deployment.id}`,
      value: deployment.id,
      style: 'danger' as const,
    } as never);
  }
  if (inc.state !== 'resolved' && runbook.emergency?.stop)
    buttons.push({
      action: 'incident.emergency',
      label: 'Emergency stop',
      value: `${inc.id}:stop`,
      style: 'danger',
    } as never);
  if (inc.state !== 'resolved' && runbook.emergency?.logs)
    buttons.push({ action: 'incident.emergency', label: 'Emergency logs', value: `${inc.id}:logs` } as never);
  if (inc.state !== 'resolved' && (runbook.emergency?.stop || runbook.emergency?.logs))
    lines.push(
      `Emergency: \`/incident emergency stop|logs ${inc.id}\` or the buttons (people allowed to abort).`,
    );
  return {
    text: lines.join('\n'),
    tone: inc.state === 'resolved' ? 'good' : inc.state === 'acknowledged' ? 'warning' : 'bad',
    ...(buttons.length > 0 && { buttons }),
  };
}

/** Renders an incident topic. */
export function renderIncidentTopic(ctx: IncidentContext, topic: IncidentTopic): ChatMessage {
  const { incident: inc, runbook } = ctx;
  switch (topic.kind) {
    case 'incident':
      return renderMain(ctx);
    case 'page': {
      const level = runbook.escalation.levels[topic.level];
      const sent = inc.pages.find((p) => p.level === topic.level && p.repeat === topic.repeat);
      const again = topic.repeat > 0 ? ` again (${topic.repeat})` : '';
      // A repeat of the last level comes again after repeat_last_every (when set), not its respond_within.
      const gap = topic.repeat > 0 ? runbook.escalation.repeat_last_every : undefined;
      const within = level ? formatDuration(gap ?? level.respond_within) : '';
      const late = sent?.lateMs
        ? `\n⏰ This page went out ${toMinutes(sent.lateMs)} late: Preflight could not page meanwhile. The incident opened ${toMinutes(sent.at - inc.openedAt)} before it.`
        : '';
      return {
        text: `🔔 *${level?.id ?? 'L?'}${level?.title ? ` ${level.title}` : ''}* paged${again} for ${inc.id}: ${mentions(sent?.people ?? [])}, answer within ${within} with \`/ack ${inc.id}\`.${late}`,
        tone: 'warning',
      };
    }
    case 'dm': {
      const level = runbook.escalation.levels[topic.level];
      return {
        text: `🔔 You are paged (${level?.id ?? ''}) for ${inc.id}, ${inc.service} ${inc.environment}: ${literal(inc.title)}. Answer in ${linkThread(runbook.channels.incident, inc.id, 'incident')} with \`/ack ${inc.id}\`.`,
        tone: 'warning',
      };
    }
    case 'note':
      return { text: topic.text };
  }
}

/** A span in whole minutes, as a duration: `12m`, `1h5m`. */
function toMinutes(ms: number): string {
  return formatDuration(Math.max(1, Math.round(ms / 60_000)) * 60_000);
}
