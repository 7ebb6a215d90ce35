/** A later cause of an incident, and what it does to paging when the incident had cleared: it fires again. */
import { literal } from '../chat/outside-text.ts';
import type { AuditEntry } from '../deployment/effects.ts';
import { type LadderPage, nextPage } from '../escalation/escalation-schedule.ts';
import { formatElapsed } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Incident, IncidentCause, IncidentEffect } from './incident.ts';
import { addCause, type Followup } from './incident-followups.ts';

interface Ctx {
  readonly runbook: Runbook;
  readonly now: number;
}

/**
 * Adds a cause to the incident; a cleared incident whose trigger fires again (a flapping alert, a check failing
 * again) goes on where its ladder stopped: the page that was due when it cleared is sent when it was due, so the
 * level paged last keeps the rest of its time and no level is skipped. One due meanwhile is sent now: the level
 * before it had its whole time.
 */
export function addOrRefire(ctx: Ctx, incident: Incident, cause: IncidentCause): Followup | undefined {
  if (!incident.cleared || incident.state !== 'open') return addCause(incident, cause);
  const rest: Incident = { ...(addCause(incident, cause)?.incident ?? incident) };
  delete (rest as { cleared?: unknown }).cleared;
  const audit: AuditEntry[] = [
    { type: 'incident.refired', actor: cause.by, detail: { trigger: cause.trigger } },
  ];
  const pending = incident.cleared.next ?? dueAfter(ctx, incident);
  const level = pending && ctx.runbook.escalation.levels[pending.level];
  const dueAt = pending ? incident.openedAt + pending.after : ctx.now;
  const when = dueAt > ctx.now ? `in ${formatElapsed(dueAt - ctx.now)}` : 'now';
  const resumes = level
    ? `Paging resumes where it stopped: ${level.id} is paged${pending.repeat > 0 ? ' again' : ''} ${when} unless someone answers with \`/ack ${incident.id}\`.`
    : 'Paging resumes.';
  const effects: IncidentEffect[] = [
    {
      type: 'incident-post',
      topic: {
        kind: 'note',
        key: `refired:${ctx.now}`,
        text: `🔴 ${incident.id} fired again: ${literal(cause.title)}. ${resumes}`,
      },
    },
  ];
  if (!pending) return { incident: rest, effects, audit };
  const page = dueAt > ctx.now ? pending : { ...pending, after: ctx.now - incident.openedAt };
  effects.push({ type: 'incident-timer', page, at: Math.max(dueAt, ctx.now), refired: ctx.now });
  return { incident: { ...rest, next: page }, effects, audit };
}

/** The page after the last one sent, for an incident cleared before the clear kept the page that was due. */
function dueAfter(ctx: Ctx, incident: Incident): LadderPage | undefined {
  const last = incident.pages.at(-1);
  return nextPage(
    ctx.runbook.escalation.levels,
    last && { level: last.level, repeat: last.repeat, after: last.at - incident.openedAt },
    ctx.runbook.escalation.repeat_last_every,
  );
}
