/**
 * A rollback asked for from an incident (🔄 on its message): who asks is judged before what the incident is about,
 * so someone who may not roll back is told so, and who may, on every platform alike.
 */
import type { Caller } from '../access/caller.ts';
import { requirePermission } from '../access/permissions.ts';
import { noSuchIncident, UserError } from '../errors.ts';
import { applyPersonAction } from './act.ts';
import type { ApplyOutcome } from './apply-event.ts';
import type { EngineDeps } from './engine-deps.ts';
import { identifyOrRefuse, recordIfRefusal } from './record-refusal.ts';

export async function requestRollbackForIncident(
  deps: EngineDeps,
  caller: Caller,
  incidentId: string,
  reason: string,
): Promise<ApplyOutcome> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) return { ok: false, error: noSuchIncident(incidentId) };
  if (incident.deploymentId)
    return applyPersonAction(deps, caller, incident.deploymentId, { type: 'rollback.request', reason });
  const runbook = await deps.runbooks.pinned(incident.runbookDigest);
  const about = { subject: incidentId, action: 'rollback.request' };
  const person = await identifyOrRefuse(deps, runbook, caller, about);
  if (person instanceof UserError) return { ok: false, error: person };
  const refused = requirePermission(runbook, person, 'rollback', `roll back what ${incidentId} is about`);
  if (refused) {
    await recordIfRefusal(deps, refused, {
      ...about,
      actor: person,
      via: caller.via,
      ...(caller.request !== undefined && { request: caller.request }),
    });
    return { ok: false, error: refused };
  }
  return {
    ok: false,
    error: new UserError(
      'WRONG_STATE',
      `${incidentId} is not about a deployment, so there is nothing to roll back`,
    ),
  };
}
