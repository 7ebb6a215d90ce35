/** What an incident's thread is told after it was resolved. */
import { literal } from '../chat/outside-text.ts';
import { formatDuration } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Incident, IncidentEvent } from './incident.ts';
import type { Followup } from './incident-followups.ts';

/**
 * A trigger still fires after the incident was resolved: its thread hears it once per trigger, with when a new
 * incident opens (and pages) if the trigger keeps firing. Nothing is paged from here.
 */
export function noteStillFiring(
  runbook: Runbook,
  incident: Incident,
  event: Extract<IncidentEvent, { type: 'incident.still-firing' }>,
): Followup | undefined {
  if (incident.state !== 'resolved' || incident.firingAfterResolve?.includes(event.trigger)) return undefined;
  const level = runbook.escalation.levels[0]?.id ?? 'on-call';
  return {
    incident: { ...incident, firingAfterResolve: [...(incident.firingAfterResolve ?? []), event.trigger] },
    audit: [
      {
        type: 'incident.still_firing',
        actor: 'preflight',
        detail: { trigger: event.trigger, seen: event.detail, wait_ms: event.waitMs },
      },
    ],
    effects: [
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `still-firing:${event.trigger}`,
          text: `⚠️ ${literal(event.title)} still fires after ${incident.id} was resolved: ${literal(event.detail)}. If it still fires ${formatDuration(event.waitMs)} after the resolve, Preflight opens a new incident and pages ${level}.`,
        },
      },
    ],
  };
}

/**
 * The incident's alerts that Alertmanager has not reported resolved, in words: each firing counts once, so while it
 * lasts it opens no new incident, and one that fires anew does. Empty when none is left.
 */
export function alertsLeftFiring(runbook: Runbook, incident: Incident): string {
  const left = incident.alerts?.length ?? 0;
  if (left === 0) return '';
  const level = runbook.escalation.levels[0]?.id ?? 'on-call';
  const lasts = left === 1 ? 'while that firing lasts it opens' : 'while those firings last they open';
  return `Alertmanager has not reported ${left} of its alerts resolved: ${lasts} no new incident; an alert that fires anew opens one and pages ${level}.`;
}
