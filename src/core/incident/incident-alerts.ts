/** The Alertmanager alert firings an incident counts, and those a write adds to it. */
import { alertKey } from '../alerts/alert-identity.ts';
import type { Incident, IncidentCause } from './incident.ts';

/**
 * The alert firings `after` counts as firing that `before` did not: what a write counts anew (a new alert, or one
 * that fires again after it was reported resolved). The store refuses such a write when one of them is reported
 * resolved, so an alert resolved before its incident is written never pages.
 */
export function alertsAddedBy(before: Incident | undefined, after: Incident): string[] {
  const known = new Set((before?.alerts ?? []).map(alertKey));
  return (after.alerts ?? []).filter((a) => !known.has(alertKey(a)));
}

/** Whether Alertmanager's alerts opened the incident, rather than joining one something else opened. */
function openedByAlerts(incident: Incident): boolean {
  return incident.alerts !== undefined && incident.alertsJoined !== true;
}

/**
 * The causes that hold the incident open whatever Alertmanager says: those that are no alerts (a health check, a
 * measurement, a person's declaration), the one that opened it first when that was no alert. An incident counts its
 * alerts resolved only when none is left; while one of these remains, it is still open for it.
 */
export function causesBesideAlerts(incident: Incident): IncidentCause[] {
  const opening: IncidentCause[] = openedByAlerts(incident)
    ? []
    : [
        {
          trigger: incident.trigger,
          title: incident.title,
          by: incident.openedBy,
          at: incident.openedAt,
          ...(incident.measured !== undefined && { measured: incident.measured }),
        },
      ];
  return [...opening, ...(incident.causes ?? []).filter((c) => c.alerts === undefined)];
}

/** Where an incident stands once Alertmanager reported some of its alerts resolved. */
export type AlertsResolvedStanding =
  /** Alerts of it still fire. */
  | { readonly kind: 'firing' }
  /** Every alert resolved and nothing else holds it: paging stops (a person still resolves it). */
  | { readonly kind: 'alerts-resolved' }
  /** Every alert resolved, but it stays open for its other causes. */
  | { readonly kind: 'open-for'; readonly causes: readonly IncidentCause[] };

/** What Alertmanager's 'resolved' leaves of an incident with alerts (`alerts` as they are now). */
export function alertsResolvedStanding(incident: Incident): AlertsResolvedStanding {
  if ((incident.alerts ?? []).length > 0) return { kind: 'firing' };
  const causes = causesBesideAlerts(incident);
  return causes.length > 0 ? { kind: 'open-for', causes } : { kind: 'alerts-resolved' };
}
