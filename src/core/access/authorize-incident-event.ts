/** Whether a person may acknowledge or resolve an incident; `transitionIncident` asks before anything else. */
import { SYSTEM_ACTOR } from '../deployment/events.ts';
import { UserError } from '../errors.ts';
import type { Incident, IncidentEvent } from '../incident/incident.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { requirePermission } from './permissions.ts';

/** People whose ack counts: those of the paged levels and every level above them. */
export function ackers(runbook: Runbook, incident: Incident): string[] {
  const lowest = Math.min(...incident.pages.map((p) => p.level), runbook.escalation.levels.length - 1);
  return runbook.escalation.levels
    .slice(Math.max(0, lowest))
    .flatMap((l) => resolvePeople(runbook, l.notify));
}

/** Refuses an incident event its person may not cause. */
export function authorizeIncidentEvent(
  runbook: Runbook,
  incident: Incident,
  event: IncidentEvent,
): UserError | undefined {
  if (!('by' in event) || event.by === SYSTEM_ACTOR) return undefined;
  switch (event.type) {
    case 'incident.ack': {
      if (ackers(runbook, incident).includes(event.by)) return undefined;
      const levels = runbook.escalation.levels.flatMap((l) => l.notify);
      return new UserError(
        'NOT_PERMITTED',
        `only the people paged for ${incident.id} or above them can acknowledge it: ${describePeople(runbook, levels)}`,
      );
    }
    case 'incident.resolve':
      return requirePermission(runbook, event.by, 'incident', `resolve ${incident.id}`);
    // Emergency requests and added causes are checked by their own handlers (incident-followups.ts), in the core.
    default:
      return undefined;
  }
}
