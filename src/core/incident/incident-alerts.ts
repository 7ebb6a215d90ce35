/** The Alertmanager alert firings an incident counts, and those a write adds to it. */
import { alertKey } from '../alerts/alert-identity.ts';
import type { Incident } from './incident.ts';

/** Every alert firing the incident counts: those it opened with and those of its causes, each once. */
export function countedAlerts(incident: Incident | undefined): string[] {
  const all = [...(incident?.alerts ?? []), ...(incident?.causes ?? []).flatMap((c) => c.alerts ?? [])];
  const byKey = new Map<string, string>();
  for (const a of all) if (!byKey.has(alertKey(a))) byKey.set(alertKey(a), a);
  return [...byKey.values()];
}

/**
 * The alert firings `after` counts that `before` did not: what a write counts anew. The store refuses such a write
 * when one of them was reported resolved, so an alert resolved before its incident is written never pages.
 */
export function alertsAddedBy(before: Incident | undefined, after: Incident): string[] {
  const known = new Set(countedAlerts(before).map(alertKey));
  return countedAlerts(after).filter((a) => !known.has(alertKey(a)));
}
