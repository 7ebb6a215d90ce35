/** Applying events to stored incidents, with compare-and-set retries; a refusal is audited and counted. */
import type { InputPath } from '../access/caller.ts';
import { noSuchIncident, UserError } from '../errors.ts';
import type { Incident, IncidentEvent } from '../incident/incident.ts';
import { transitionIncident } from '../incident/incident-transition.ts';
import { maskEventText } from '../redact/person-text.ts';
import type { EngineDeps } from './apply-event.ts';
import { recordEventRefusal } from './record-refusal.ts';

export type IncidentOutcome =
  | {
      readonly ok: true;
      readonly incident: Incident;
      readonly existing?: boolean;
      /** This write made the incident, about no deployment before, the deployment's own. */
      readonly linked?: boolean;
      readonly reply?: string;
    }
  | {
      readonly ok: false;
      readonly error: UserError;
      /** The deployment gained its own open incident meanwhile (this one, an incident to link, was not linked). */
      readonly taken?: string;
      /** An alert firing this write would count was reported resolved meanwhile: nothing was written. */
      readonly alertResolved?: true;
    };

/** The refusal of a write counting an alert firing reported resolved before it was written. */
export const ALERT_RESOLVED: IncidentOutcome = {
  ok: false,
  error: new UserError('ALREADY_DONE', 'these alerts were reported resolved; a resolved alert opens nothing'),
  alertResolved: true,
};

/** Applies an event to a stored incident, re-reading on conflicting writes; a refusal is audited and counted. */
export async function applyIncidentEvent(
  deps: EngineDeps,
  id: string,
  given: IncidentEvent,
  options: { readonly via?: InputPath; readonly request?: string } = {},
): Promise<IncidentOutcome> {
  const event = maskEventText(given, deps.redactor);
  for (let attempt = 0; attempt < 25; attempt++) {
    const before = await deps.incidents.get(id);
    if (!before) return { ok: false, error: noSuchIncident(id) };
    const runbook = await deps.runbooks.pinned(before.runbookDigest);
    const now = deps.clock.now();
    const stopUnderWay =
      event.type === 'incident.emergency-request' && event.which === 'stop'
        ? await deps.emergencyRuns?.holder(before)
        : undefined;
    const result = transitionIncident(
      { runbook, now, ...(stopUnderWay !== undefined && { stopUnderWay }) },
      before,
      event,
    );
    if (!result.ok) {
      await recordEventRefusal(deps, result.error, id, event, options);
      return result;
    }
    if (!result.changed)
      return { ok: true, incident: before, ...(result.reply !== undefined && { reply: result.reply }) };
    const outcome = await deps.incidents.commit({
      before,
      after: result.incident,
      audit: result.audit,
      effects: result.effects,
      ...('by' in event && { confirms: true }),
      at: now,
    });
    if (outcome === 'resolved') return ALERT_RESOLVED;
    if (typeof outcome === 'object')
      return {
        ok: false,
        error: new UserError(
          'ALREADY_DONE',
          `${outcome.exists} is already open for this deployment; see \`/incident status ${outcome.exists}\``,
        ),
        taken: outcome.exists,
      };
    if (outcome === 'committed')
      return {
        ok: true,
        incident: result.incident,
        ...(before.deploymentId === undefined &&
          result.incident.deploymentId !== undefined && { linked: true }),
        ...(result.reply !== undefined && { reply: result.reply }),
      };
  }
  throw new Error(`incident ${id}: gave up after 25 conflicting writes`);
}

/**
 * Tells the open incident of a deployment how its rollback ended (delivered from the deployment's outbox, at least
 * once: the incident says each outcome once).
 */
export async function tellIncidentOfRollback(
  deps: EngineDeps,
  deploymentId: string,
  ended: { readonly state: 'rolled_back' | 'rollback_failed' | 'aborted'; readonly outcome: string },
): Promise<void> {
  const open = await deps.incidents.openFor(deploymentId);
  if (open)
    await applyIncidentEvent(deps, open.id, {
      type: 'incident.rollback-ended',
      state: ended.state,
      outcome: ended.outcome,
    });
}
