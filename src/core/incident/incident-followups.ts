/** Incident events after the opening: another cause, a cleared re-check, the rollback's end (emergencies: incident-emergency.ts). */

import { alertKey } from '../alerts/alert-identity.ts';
import { literal, plainLiterals } from '../chat/outside-text.ts';
import { countOf } from '../count-words.ts';
import type { AuditEntry } from '../deployment/effects.ts';
import type { LadderPage } from '../escalation/escalation-schedule.ts';
import type { Incident, IncidentCause, IncidentEffect, IncidentEvent, Measurement } from './incident.ts';
import { causesBesideAlerts } from './incident-alerts.ts';

/** What a follow-up did: the incident after it, or undefined when it changes nothing (a repeat). */
export interface Followup {
  readonly incident: Incident;
  readonly effects: readonly IncidentEffect[];
  readonly audit: readonly AuditEntry[];
}

/** `0.6 against a threshold of 0.015 (baseline 0.01)` */
export function describeMeasurement(m: Measurement): string {
  const shown = (n: number) =>
    Math.abs(n) < 1000 ? String(Number(n.toPrecision(4))) : String(Math.round(n));
  const baseline = m.baseline === undefined ? '' : `, baseline ${shown(m.baseline)}`;
  const ratio =
    m.baseline !== undefined && m.baseline > 0 ? ` (${shown(m.value / m.baseline)}× the baseline)` : '';
  return `${m.what}: measured ${shown(m.value)} against a threshold of ${shown(m.threshold)}${baseline}${ratio}`;
}

/**
 * True when the incident already names this cause (the opening trigger or an added one). Alerts are causes of their
 * own: another alert of the same trigger is a new cause, the same alerts again are not, whether the incident was
 * opened by alerts or by something else (a health check, a person) and its alerts came later.
 */
function knows(incident: Incident, cause: IncidentCause): boolean {
  if (cause.alerts !== undefined && incident.alerts !== undefined) {
    // Its alerts still firing: one reported resolved that the webhook delivers firing again counts again.
    const known = new Set(incident.alerts.map(alertKey));
    return cause.alerts.every((a) => known.has(alertKey(a)));
  }
  const same = (trigger: string, title: string) =>
    trigger === cause.trigger && (cause.trigger !== 'manual' || title === cause.title);
  return (
    same(incident.trigger, incident.title) || (incident.causes ?? []).some((c) => same(c.trigger, c.title))
  );
}

/** The firing alerts and the ones added, each alert once however each path wrote its time. */
function joinAlerts(firing: readonly string[], added: readonly string[]): string[] {
  const keys = new Set(firing.map(alertKey));
  const joined = [...firing];
  for (const a of added) {
    if (keys.has(alertKey(a))) continue;
    keys.add(alertKey(a));
    joined.push(a);
  }
  return joined;
}

/**
 * The cause with only the alerts the incident does not count yet: webhook groups that share an alert and arrive at
 * once each find it unreported, and the one that joins the incident the other opened names it again. Decided here,
 * on the incident as it is written, so each alert is one cause's whatever the order of arrival.
 */
function withNewAlerts(incident: Incident, cause: IncidentCause): IncidentCause {
  if (cause.alerts === undefined) return cause;
  const known = new Set((incident.alerts ?? []).map(alertKey));
  const fresh = cause.alerts.filter((a) => !known.has(alertKey(a)));
  return fresh.length === cause.alerts.length ? cause : { ...cause, alerts: fresh };
}

/** Adds a later cause to the open incident's timeline and post. */
export function addCause(incident: Incident, given: IncidentCause): Followup | undefined {
  if (incident.state === 'resolved' || knows(incident, given)) return undefined;
  const cause = withNewAlerts(incident, given);
  const measured = cause.measured ? ` (${describeMeasurement(cause.measured)})` : '';
  // Alerts are tracked on the incident whatever opened it, so Alertmanager reporting them resolved is heard; on one
  // a person or a health check opened, that opening cause is marked as holding it open beside them.
  const alerts = cause.alerts && joinAlerts(incident.alerts ?? [], cause.alerts);
  const joined = alerts !== undefined && incident.alerts === undefined;
  return {
    incident: {
      ...incident,
      causes: [...(incident.causes ?? []), cause],
      ...(alerts && { alerts }),
      ...(joined && { alertsJoined: true as const }),
    },
    audit: [
      {
        type: 'incident.cause_added',
        actor: cause.by,
        detail: { trigger: cause.trigger, title: cause.title, measured: cause.measured ?? null },
      },
    ],
    effects: [
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `cause:${cause.trigger}:${cause.at}`,
          text: `➕ Another cause for ${incident.id}: ${literal(cause.title)}${measured}`,
        },
      },
    ],
  };
}

/**
 * The re-check before a page found the trigger cleared (or Alertmanager reported every alert resolved): say so and
 * stop paging; the incident stays open.
 */
export function clearIncident(
  incident: Incident,
  detail: string,
  now: number,
  seen = `the re-check before the next page found ${literal(detail)}`,
): Followup | undefined {
  if (incident.state !== 'open' || !incident.next) return undefined;
  const rest: Incident = { ...incident, cleared: { at: now, detail, next: incident.next } };
  delete (rest as { next?: LadderPage }).next;
  return {
    incident: rest,
    audit: [{ type: 'incident.cleared', actor: 'preflight', detail: { recheck: detail } }],
    effects: [
      // PagerDuty's own escalation would keep notifying for the alerts already sent: paging stops there too. A
      // trigger that fires again goes on with the page that was due, a new alert.
      { type: 'pager-update', action: 'resolve' },
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `cleared:${now}`,
          text: `🟢 Cleared: ${seen}. Paging stops. ${incident.id} stays open until someone resolves it with \`/incident resolve ${incident.id}\`.`,
        },
      },
    ],
  };
}

/**
 * Alertmanager reports alerts resolved. Those of this incident leave its firing alerts; when none is left and
 * nothing but alerts opened it, paging stops (as after a clean re-check), or, when someone already answered, the
 * thread is told. An incident with another cause (a health check, a person) is not cleared by its alerts alone:
 * the thread is told it stays open for that cause.
 */
export function resolveAlerts(
  incident: Incident,
  event: { readonly alerts: readonly string[]; readonly names: string },
  now: number,
): Followup | undefined {
  const firing = incident.alerts;
  if (incident.state === 'resolved' || !firing) return undefined;
  const gone = new Set(event.alerts.map(alertKey));
  const remaining = firing.filter((a) => !gone.has(alertKey(a)));
  if (remaining.length === firing.length) return undefined;
  const rest: Incident = { ...incident, alerts: remaining };
  const audit: AuditEntry = {
    type: 'incident.alerts_resolved',
    actor: 'preflight',
    detail: { alerts: event.names, stillFiring: remaining.length },
  };
  const others = causesBesideAlerts(incident);
  if (remaining.length > 0) {
    const still = countOf(remaining.length, 'alert');
    const text = `🟡 Alertmanager reports ${literal(event.names)} resolved; ${still} of ${incident.id} still firing.`;
    return {
      incident: rest,
      audit: [audit],
      effects: [{ type: 'incident-post', topic: { kind: 'note', key: `alerts-resolved:${now}`, text } }],
    };
  }
  if (others.length > 0) {
    // Its alerts are over, not the incident: it stays open (and pages on) for what else found trouble.
    const paging = incident.state === 'open' && incident.next ? ' Paging goes on.' : '';
    const plural = others.length > 1 ? 's' : '';
    const text = `🟡 Alertmanager reports ${literal(event.names)} resolved, but ${incident.id} stays open for its other cause${plural}: ${others.map((c) => literal(c.title)).join('; ')}.${paging}`;
    return {
      incident: rest,
      audit: [audit],
      effects: [{ type: 'incident-post', topic: { kind: 'note', key: `alerts-resolved:${now}`, text } }],
    };
  }
  const seen = `Alertmanager reports ${event.names} resolved`;
  const said = `Alertmanager reports ${literal(event.names)} resolved`;
  const cleared = clearIncident(rest, seen, now, said);
  if (cleared) return { ...cleared, audit: [audit, ...cleared.audit] };
  const answer =
    incident.state === 'open' ? '' : ` Resolve it with \`/incident resolve ${incident.id}\` when done.`;
  return {
    incident: rest,
    audit: [audit],
    effects: [
      {
        type: 'incident-post',
        topic: { kind: 'note', key: `alerts-resolved:${now}`, text: `🟢 ${said}.${answer}` },
      },
    ],
  };
}

/**
 * The rollback of the incident's deployment ended: its thread says how, and that the service stays locked until
 * someone unlocks it; its message shows the deployment's new state. Said once per outcome.
 */
export function rollbackEnded(
  incident: Incident,
  event: Extract<IncidentEvent, { type: 'incident.rollback-ended' }>,
  now: number,
): Followup | undefined {
  if (incident.state === 'resolved' || incident.rollback?.state === event.state) return undefined;
  const where = `${incident.service} ${incident.environment}`;
  const unlock = `${where} stays locked until someone runs \`/deploy unlock ${incident.service} ${incident.environment} <reason>\``;
  const byHand = `Check the service by hand; the emergency stop and logs are on ${incident.id}'s message.`;
  const text =
    event.state === 'rolled_back'
      ? `↩️ ${incident.deploymentId ?? 'The deployment'} ${event.outcome}. ${unlock}; resolve ${incident.id} once the service is well (\`/incident resolve ${incident.id}\`).`
      : `${event.state === 'aborted' ? '⏹️ The rollback of' : '🔥 The rollback of'} ${incident.deploymentId ?? 'the deployment'} ${event.state === 'aborted' ? 'was stopped part-way' : 'failed'}: ${event.outcome}. ${unlock}. ${byHand}`;
  return {
    incident: { ...incident, rollback: { state: event.state, at: now } },
    audit: [
      {
        type: 'incident.rollback_ended',
        actor: 'preflight',
        detail: {
          deployment: incident.deploymentId ?? null,
          state: event.state,
          outcome: plainLiterals(event.outcome),
        },
      },
    ],
    effects: [{ type: 'incident-post', topic: { kind: 'note', key: `rollback:${event.state}`, text } }],
  };
}
