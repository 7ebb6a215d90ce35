/** Whether a person may acknowledge or resolve an incident; `transitionIncident` asks before anything else. */
import { SYSTEM_ACTOR } from '../deployment/events.ts';
import { UserError } from '../errors.ts';
import type { Incident, IncidentEvent } from '../incident/incident.ts';
import { emergencyPeople, noEmergencyCommand } from '../incident/incident-emergency.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { requirePermission, whoMay } from './permissions.ts';

/** People whose ack counts: those of the paged levels and every level above them. */
export function ackers(runbook: Runbook, incident: Incident): string[] {
  const lowest = Math.min(...incident.pages.map((p) => p.level), runbook.escalation.levels.length - 1);
  return runbook.escalation.levels
    .slice(Math.max(0, lowest))
    .flatMap((l) => resolvePeople(runbook, l.notify));
}

/** Everyone on the escalation ladder, as named to someone refused an acknowledgement. */
const ladderRefs = (runbook: Runbook): string[] => runbook.escalation.levels.flatMap((l) => l.notify);

/**
 * Who may cause `action` on `incident`, said to someone refused it for who they are (`only Ann, Cat may acknowledge
 * INC-1 (escalation.levels)`); undefined for an action nobody asks for. An emergency command the runbook does not
 * have is said to be missing, with what to do instead, since nobody may run it.
 */
export function whoMayOnIncident(
  runbook: Runbook,
  incident: Incident,
  action: { readonly type: string; readonly which?: 'stop' | 'logs' },
): string | undefined {
  if (action.type === 'incident.ack')
    return `only ${describePeople(runbook, ladderRefs(runbook))} may acknowledge ${incident.id} (escalation.levels)`;
  if (action.type === 'incident.emergency-request') {
    const which = action.which ?? 'stop';
    if (!runbook.emergency?.[which]) return noEmergencyCommand(runbook, which);
    return `only ${describePeople(runbook, emergencyPeople(runbook))} may run an emergency command (permissions.abort)`;
  }
  return whoMay(runbook, action.type);
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
      return new UserError(
        'NOT_PERMITTED',
        `only the people paged for ${incident.id} or above them can acknowledge it: ${describePeople(runbook, ladderRefs(runbook))}`,
      );
    }
    case 'incident.resolve':
      return requirePermission(runbook, event.by, 'incident', `resolve ${incident.id}`);
    // Emergency requests and added causes are checked by their own handlers (incident-followups.ts), in the core.
    default:
      return undefined;
  }
}
