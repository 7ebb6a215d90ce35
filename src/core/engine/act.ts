/**
 * The door for people: an adapter supplies who (its platform's user id), what (an action) and through which
 * path; the core identifies the person against the deployment's pinned runbook, authorizes the event in
 * `transition`, applies it, and audits and counts a refusal. The answer is the same on every path.
 */
import { ackers, whoMayOnIncident } from '../access/authorize-incident-event.ts';
import type { Caller } from '../access/caller.ts';
import { identifyCaller } from '../access/identify-caller.ts';
import type { Deployment, DeploymentState } from '../deployment/deployment.ts';
import { type DeploymentEvent, isWithdrawal } from '../deployment/events.ts';
import { noSuchIncident, UserError } from '../errors.ts';
import type { IncidentEvent } from '../incident/incident.ts';
import { type ApplyOutcome, applyEvent, type EngineDeps } from './apply-event.ts';
import { applyIncidentEvent, type IncidentOutcome } from './incident-events.ts';
import { identifyOrRefuse } from './record-refusal.ts';

type WithoutBy<E> = E extends { readonly by: string } ? Omit<E, 'by'> : never;

/** What a person can ask of a deployment: any person-caused event, without its `by` (the core fills it in). */
export type PersonAction = WithoutBy<DeploymentEvent>;
/** What a person can ask of an incident. */
export type PersonIncidentAction = WithoutBy<IncidentEvent>;

/**
 * A rollback restores the version before the deployment: after a newer one of the same service and environment
 * went live, that would put back an old version under the live one (and leave the live one watched as if it ran).
 */
async function supersededBy(deps: EngineDeps, deployment: Deployment): Promise<UserError | undefined> {
  const recent = await deps.store.list({ service: deployment.service, limit: 50 });
  const at = recent.findIndex((d) => d.id === deployment.id);
  const newer = (at < 0 ? recent : recent.slice(0, at)).find(
    (d) => d.environment === deployment.environment && WENT_LIVE.includes(d.state),
  );
  if (!newer) return undefined;
  return new UserError(
    'WRONG_STATE',
    `${deployment.id} (${deployment.version}) is no longer what runs in ${deployment.environment}: ${newer.id} (${newer.version}) went live after it. To go back, roll back ${newer.id}: /rollback ${newer.id}`,
  );
}

const WENT_LIVE: readonly DeploymentState[] = ['monitoring', 'succeeded'];

/**
 * Applies a person's action to a deployment, or refuses it (audited, counted) with who may and why. A withdrawal
 * (a ✅ taken off) is never refused: it takes back what is still the person's to take back, or does nothing.
 * `current`, the deployment as the caller read it after whatever must come before the action (a reaction's lock),
 * spares the read here.
 */
export async function applyPersonAction(
  deps: EngineDeps,
  caller: Caller,
  deploymentId: string,
  action: PersonAction,
  current?: Deployment,
): Promise<ApplyOutcome> {
  const deployment = current?.id === deploymentId ? current : await deps.store.get(deploymentId);
  if (!deployment)
    return {
      ok: false,
      error: new UserError('UNKNOWN_DEPLOYMENT', `there is no deployment "${deploymentId}"`),
    };
  const runbook = await deps.runbooks.pinned(deployment.runbookDigest);
  // Someone the runbook does not know has no approval or tick to take back: their withdrawal changes nothing.
  if (isWithdrawal(action) && identifyCaller(runbook, caller) instanceof UserError)
    return { ok: true, deployment, changed: false };
  const person = await identifyOrRefuse(deps, runbook, caller, {
    subject: deploymentId,
    action: action.type,
  });
  if (person instanceof UserError) return { ok: false, error: person };
  if (action.type === 'rollback.request') {
    const superseded = await supersededBy(deps, deployment);
    if (superseded) return { ok: false, error: superseded };
  }
  const event = { ...action, by: person } as DeploymentEvent;
  // The deployment just read is the first attempt's state: a stale one only conflicts and is read again.
  // The request's id marks the commit: handled again, the request is recognised rather than applied twice.
  const outcome = await applyEvent(deps, deploymentId, event, {
    via: caller.via,
    current: deployment,
    ...(caller.request !== undefined && { eventId: caller.request }),
  });
  if (outcome.ok && (action.type === 'rollback.request' || action.type === 'rollback.approve'))
    await answerIncidentByRollback(deps, deploymentId, person, caller);
  return outcome;
}

/**
 * Someone who asks for or approves the rollback of a deployment with an open incident is answering the incident:
 * it counts as their acknowledgement, so paging stops when they may acknowledge it. Else paging goes on, and
 * nothing is refused: they asked for a rollback, not an acknowledgement.
 */
async function answerIncidentByRollback(
  deps: EngineDeps,
  deploymentId: string,
  person: string,
  caller: Caller,
): Promise<void> {
  const open = await deps.incidents.openFor(deploymentId);
  if (!open || open.ack !== undefined) return;
  if (!ackers(await deps.runbooks.pinned(open.runbookDigest), open).includes(person)) return;
  await applyIncidentEvent(deps, open.id, { type: 'incident.ack', by: person }, { via: caller.via });
}

/** Applies a person's action to an incident, or refuses it (audited, counted). */
export async function applyPersonIncidentAction(
  deps: EngineDeps,
  caller: Caller,
  incidentId: string,
  action: PersonIncidentAction,
): Promise<IncidentOutcome> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) return { ok: false, error: noSuchIncident(incidentId) };
  const runbook = await deps.runbooks.pinned(incident.runbookDigest);
  const person = await identifyOrRefuse(
    deps,
    runbook,
    caller,
    { subject: incidentId, action: action.type },
    whoMayOnIncident(runbook, incident, action),
  );
  if (person instanceof UserError) return { ok: false, error: person };
  const event = { ...action, by: person } as IncidentEvent;
  return applyIncidentEvent(deps, incidentId, event, {
    via: caller.via,
    ...(caller.request !== undefined && { request: caller.request }),
  });
}
