/** An incident's emergency stop and logs: who may ask, one at a time, and their output in the incident thread. */

import { literal } from '../chat/outside-text.ts';
import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Incident } from './incident.ts';
import type { Followup } from './incident-followups.ts';

/** Emergency stop or logs output, posted in the incident thread and kept in its audit log. */
export function recordEmergency(
  incident: Incident,
  event: { which: 'stop' | 'logs'; by: string; outcome: string; output: string },
  now: number,
): Followup {
  const { [event.which]: _ended, ...running } = incident.emergencies ?? {};
  const rest: Incident = { ...incident, emergencies: running };
  if (Object.keys(running).length === 0) delete (rest as { emergencies?: unknown }).emergencies;
  return {
    incident: rest,
    audit: [
      {
        type: 'incident.emergency',
        actor: event.by,
        detail: { which: event.which, outcome: event.outcome, output: event.output },
      },
    ],
    effects: [
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `emergency:${event.which}:${now}`,
          text: `🛑 Emergency ${event.which} ${event.outcome} (asked by @{${event.by}}):\n${event.output ? literal(event.output) : '(no output)'}`,
        },
      },
    ],
  };
}

/** How long an emergency command may run before it is stopped (the job that runs it: incident-emergency.ts). */
export const EMERGENCY_TIMEOUT_MS = 60 * 60_000;
/**
 * Past its timeout and this, an emergency command whose output never came (its worker died and the job was lost)
 * no longer holds the next request back.
 */
const EMERGENCY_GRACE_MS = 5 * 60_000;

/** People allowed to run the emergency commands: those who may abort a deployment. */
export function emergencyPeople(runbook: Runbook): readonly string[] {
  const p = runbook.permissions;
  return p.abort ?? [...p.deploy, ...p.rollback];
}

/**
 * Said of an emergency command the runbook does not have, to anyone who asks for it: nobody can run it, and what
 * to do instead (roll back, reach the runbook's emergency contact, or ask who deploys it).
 */
export function noEmergencyCommand(runbook: Runbook, which: 'stop' | 'logs'): string {
  const missing = `there is no emergency ${which} command (emergency.${which}), so nobody can run one`;
  const contact = runbook.emergency?.contact;
  const reach = [contact?.channel, contact?.phone].filter((c) => c !== undefined && c !== '');
  const orReach = reach.length > 0 ? `; in an emergency reach ${reach.join(' or ')} (emergency.contact)` : '';
  if (runbook.rollback)
    return `${missing}; to undo the deployment instead, ${describePeople(runbook, runbook.permissions.rollback)} may roll back with /rollback (permissions.rollback)${orReach}`;
  return `${missing}, and no rollback plan (rollback)${orReach}; ask ${describePeople(runbook, runbook.permissions.deploy)}, who may deploy it (permissions.deploy), what to do instead`;
}

/** Asks for the emergency stop or logs from the incident; runs whatever the deployment's state. */
export function requestEmergency(
  runbook: Runbook,
  incident: Incident,
  event: { which: 'stop' | 'logs'; by: string },
  now: number,
  stopUnderWay?: string,
): Followup | UserError {
  const spec = runbook.emergency?.[event.which];
  if (!spec)
    return new UserError(
      'BAD_COMMAND',
      `in the ${runbook.service} runbook ${noEmergencyCommand(runbook, event.which)}`,
    );
  const allowed = emergencyPeople(runbook);
  if (!resolvePeople(runbook, allowed).includes(event.by))
    return new UserError(
      'NOT_PERMITTED',
      `only people allowed to abort (${describePeople(runbook, allowed)}) can run the emergency ${event.which}`,
    );
  const running = incident.emergencies?.[event.which];
  // Another's stop of the same system (a deployment's --emergency, another incident's): one at a time.
  if (event.which === 'stop' && stopUnderWay !== undefined && !running)
    return new UserError(
      'ALREADY_DONE',
      `an emergency stop of ${incident.service} ${incident.environment} is already under way (${stopUnderWay}): it is not started a second time`,
    );
  if (running && now - running.at < EMERGENCY_TIMEOUT_MS + EMERGENCY_GRACE_MS) {
    const who = running.by === event.by ? 'you' : (runbook.people[running.by]?.name ?? running.by);
    return new UserError(
      'ALREADY_DONE',
      `the emergency ${event.which} ${who} asked for is still running: it is not started a second time; its output follows in the ${incident.id} thread`,
    );
  }
  return {
    incident: {
      ...incident,
      emergencies: { ...incident.emergencies, [event.which]: { by: event.by, at: now } },
    },
    audit: [{ type: 'incident.emergency_requested', actor: event.by, detail: { which: event.which } }],
    effects: [
      { type: 'emergency-run', which: event.which, by: event.by, at: now },
      {
        type: 'incident-post',
        topic: {
          kind: 'note',
          key: `emergency-asked:${event.which}:${now}`,
          text: `🛑 @{${event.by}} started the emergency ${event.which} for ${incident.id}; its output follows here.`,
        },
      },
    ],
  };
}
