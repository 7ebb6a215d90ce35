/** Incidents as a pure state machine: open (pages L1), page the next level on time, acknowledge, resolve. */
import { authorizeIncidentEvent } from '../access/authorize-incident-event.ts';
import { literal } from '../chat/outside-text.ts';
import { mention } from '../chat-text.ts';
import type { AuditEntry } from '../deployment/effects.ts';
import { UserError } from '../errors.ts';
import { type LadderPage, nextPage } from '../escalation/escalation-schedule.ts';
import { resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Incident, IncidentEffect, IncidentEvent } from './incident.ts';
import { alertsLeftFiring, noteStillFiring } from './incident-after-resolve.ts';
import { recordEmergency, requestEmergency } from './incident-emergency.ts';
import { clearIncident, type Followup, resolveAlerts, rollbackEnded } from './incident-followups.ts';
import { linkDeployment } from './incident-link.ts';
import { noteRefusal, noteTaken } from './incident-pager.ts';
import { addOrRefire } from './incident-refire.ts';

export type IncidentResult =
  | {
      readonly ok: true;
      readonly incident: Incident;
      readonly effects: readonly IncidentEffect[];
      readonly audit: readonly AuditEntry[];
      readonly changed: boolean;
      readonly reply?: string;
    }
  | { readonly ok: false; readonly error: UserError };

interface Ctx {
  readonly runbook: Runbook;
  readonly now: number;
  /** An emergency stop already under way on the incident's service and environment: who asked, where it goes. */
  readonly stopUnderWay?: string;
}

/** A page this much after its time was sent late: the next one is timed from when it went out. */
const LATE_MS = 1_000;
/** A page this much after its time says so in chat: the people paged learn the incident has waited longer. */
const SAID_LATE_MS = 60_000;

/** Pages `page` now and schedules the one after it. */
function sendPage(
  ctx: Ctx,
  incident: Incident,
  page: LadderPage,
  effects: IncidentEffect[],
  audit: AuditEntry[],
  recheck?: string,
): Incident {
  const levels = ctx.runbook.escalation.levels;
  const level = levels[page.level];
  if (!level) return incident;
  const people = resolvePeople(ctx.runbook, level.notify);
  const behind = ctx.now - (incident.openedAt + page.after);
  const lateMs = behind >= SAID_LATE_MS ? behind : undefined;
  effects.push({
    type: 'page',
    level: page.level,
    repeat: page.repeat,
    people,
    via: level.via ?? ['mention'],
  });
  effects.push({ type: 'incident-post', topic: { kind: 'page', level: page.level, repeat: page.repeat } });
  audit.push({
    type: 'incident.paged',
    actor: 'preflight',
    detail: {
      level: level.id,
      repeat: page.repeat,
      people,
      ...(recheck !== undefined && { recheck }),
      ...(lateMs !== undefined && { late_ms: lateMs }),
    },
  });
  // A page sent late (every worker was down, or Redis) gives its level the whole respond_within from now, so the
  // pages overdue meanwhile do not all go out at once.
  const late = behind > LATE_MS;
  const sent = late ? { ...page, after: ctx.now - incident.openedAt } : page;
  const following = nextPage(levels, sent, ctx.runbook.escalation.repeat_last_every);
  if (following)
    effects.push({ type: 'incident-timer', page: following, at: incident.openedAt + following.after });
  return {
    ...incident,
    pages: [
      ...incident.pages,
      {
        level: page.level,
        levelId: level.id,
        repeat: page.repeat,
        at: ctx.now,
        people,
        ...(lateMs !== undefined && { lateMs }),
      },
    ],
    ...(following && { next: following }),
  };
}

/** The first transition: an incident that has just opened pages the first level at once. */
export function openIncident(
  ctx: Ctx,
  draft: Omit<Incident, 'revision' | 'state' | 'pages' | 'next'>,
): IncidentResult {
  const effects: IncidentEffect[] = [{ type: 'incident-post', topic: { kind: 'incident' } }];
  const audit: AuditEntry[] = [
    {
      type: 'incident.opened',
      actor: draft.openedBy,
      detail: {
        title: draft.title,
        trigger: draft.trigger,
        deployment: draft.deploymentId ?? null,
        measured: draft.measured ?? null,
      },
    },
  ];
  const opened: Incident = { ...draft, revision: 1, state: 'open', pages: [] };
  const first = nextPage(ctx.runbook.escalation.levels, undefined);
  const incident = first ? sendPage(ctx, opened, first, effects, audit) : opened;
  return { ok: true, incident, effects, audit, changed: true };
}

/** Applies an event to an incident. */
export function transitionIncident(ctx: Ctx, incident: Incident, event: IncidentEvent): IncidentResult {
  const refused = authorizeIncidentEvent(ctx.runbook, incident, event);
  if (refused) return { ok: false, error: refused };
  const effects: IncidentEffect[] = [];
  const audit: AuditEntry[] = [];
  const done = (next: Incident, reply?: string): IncidentResult => ({
    ok: true,
    incident: { ...next, revision: incident.revision + 1 },
    effects: [...effects, { type: 'incident-refresh', topic: { kind: 'incident' } }],
    audit,
    changed: true,
    ...(reply !== undefined && { reply }),
  });
  const unchanged: IncidentResult = { ok: true, incident, effects: [], audit: [], changed: false };
  const follow = (f: Followup | undefined): IncidentResult => {
    if (!f) return unchanged;
    effects.push(...f.effects);
    audit.push(...f.audit);
    return done(f.incident);
  };
  switch (event.type) {
    case 'incident.page': {
      const due = incident.next;
      if (
        incident.state !== 'open' ||
        !due ||
        due.level !== event.page.level ||
        due.repeat !== event.page.repeat
      )
        return unchanged;
      const rest: Incident = { ...incident };
      delete (rest as { next?: LadderPage }).next;
      return done(sendPage(ctx, rest, event.page, effects, audit, event.recheck));
    }
    case 'incident.cause': {
      const linked = linkDeployment(ctx.runbook, incident, event.link);
      const added = addOrRefire(ctx, linked?.incident ?? incident, event.cause);
      if (!linked) return follow(added);
      return follow({
        incident: added?.incident ?? linked.incident,
        effects: [...linked.effects, ...(added?.effects ?? [])],
        audit: [...linked.audit, ...(added?.audit ?? [])],
      });
    }
    case 'incident.clear':
      return follow(clearIncident(incident, event.detail, ctx.now));
    case 'incident.alerts-resolved':
      return follow(resolveAlerts(incident, event, ctx.now));
    case 'incident.emergency':
      return follow(recordEmergency(incident, event, ctx.now));
    case 'incident.rollback-ended':
      return follow(rollbackEnded(incident, event, ctx.now));
    case 'incident.still-firing':
      return follow(noteStillFiring(ctx.runbook, incident, event));
    // What PagerDuty made of a page changes nothing the incident's message shows: no refresh.
    case 'incident.pager-refused':
    case 'incident.pager-taken': {
      const f = event.type === 'incident.pager-refused' ? noteRefusal(incident, event) : noteTaken(incident);
      if (!f) return unchanged;
      return { ...f, ok: true, incident: { ...f.incident, revision: incident.revision + 1 }, changed: true };
    }
    case 'incident.emergency-request': {
      const asked = requestEmergency(ctx.runbook, incident, event, ctx.now, ctx.stopUnderWay);
      if (asked instanceof UserError) return { ok: false, error: asked };
      effects.push(...asked.effects);
      audit.push(...asked.audit);
      return done(
        asked.incident,
        `emergency ${event.which} started; its output goes to the ${incident.id} thread`,
      );
    }
    case 'incident.ack': {
      // Their own acknowledgement again (👀 then ✅, the button after /ack): done already, no mistake to warn of.
      if (incident.state === 'acknowledged' && incident.ack?.by === event.by)
        return { ...unchanged, reply: `you acknowledged ${incident.id} already; paging is stopped` };
      if (incident.state !== 'open') {
        const by = incident.state === 'resolved' ? incident.resolution?.by : incident.ack?.by;
        const who = by ? ` by ${ctx.runbook.people[by]?.name ?? by}` : '';
        return {
          ok: false,
          error: new UserError('ALREADY_DONE', `${incident.id} is already ${incident.state}${who}`),
        };
      }
      const rest: Incident = { ...incident, state: 'acknowledged', ack: { by: event.by, at: ctx.now } };
      delete (rest as { next?: LadderPage }).next;
      audit.push({
        type: 'incident.acknowledged',
        actor: event.by,
        detail: { afterMs: ctx.now - incident.openedAt },
      });
      effects.push({ type: 'pager-update', action: 'acknowledge' });
      effects.push({
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `ack:${event.by}`,
          text: `👀 ${mention(event.by)} acknowledged ${incident.id}; paging stops.`,
        },
      });
      return done(rest, `acknowledged ${incident.id}; paging stopped`);
    }
    case 'incident.resolve': {
      if (incident.state === 'resolved')
        return { ok: false, error: new UserError('ALREADY_DONE', `${incident.id} is already resolved`) };
      const rest: Incident = {
        ...incident,
        state: 'resolved',
        resolution: { by: event.by, at: ctx.now, ...(event.note !== undefined && { note: event.note }) },
      };
      delete (rest as { next?: LadderPage }).next;
      audit.push({ type: 'incident.resolved', actor: event.by, detail: { note: event.note ?? null } });
      const still = alertsLeftFiring(ctx.runbook, incident);
      const left = still === '' ? '' : `\n${still}`;
      effects.push({ type: 'pager-update', action: 'resolve' });
      effects.push({
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `resolved:${ctx.now}`,
          text: `✅ ${mention(event.by)} resolved ${incident.id}${event.note ? `: ${literal(event.note)}` : '.'}${left}`,
        },
      });
      return done(rest, `resolved ${incident.id}`);
    }
  }
}
