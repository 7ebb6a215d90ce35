/**
 * The one place that decides whether a person may cause a deployment event. `transition` asks it first, so every
 * path that applies an event (command, reaction, button, thread reply, job, any platform) gets the same answer.
 */
import type { Deployment } from '../deployment/deployment.ts';
import { type DeploymentEvent, SYSTEM_ACTOR } from '../deployment/events.ts';
import { gateDefinition, windowOverrideGate } from '../deployment/runbook-lookup.ts';
import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { requirePermission } from './permissions.ts';
import { describeRollbackWait, rollbackApproval } from './rollback-approval.ts';

export { type RollbackApproval, rollbackApproval, rollbackApproversLeft } from './rollback-approval.ts';

const nameOf = (runbook: Runbook, id: string): string => runbook.people[id]?.name ?? id;

function askOthers(runbook: Runbook, approvers: readonly string[], self: string): string {
  const others = approvers.filter((p) => p !== self);
  return others.length > 0 ? ` (ask ${others.map((p) => nameOf(runbook, p)).join(' or ')})` : '';
}

function authorizeGate(
  runbook: Runbook,
  d: Deployment,
  gateId: string,
  by: string,
  verb: 'approve' | 'reject',
) {
  const def = gateDefinition(runbook, gateId);
  if (!def) return undefined;
  const title = def.title ?? gateId;
  const approvers = resolvePeople(runbook, def.approvers);
  if (!approvers.includes(by)) {
    // Who to ask: the requester's own approval would not count, so they are not sent to them.
    const others = approvers.filter((p) => p !== d.requestedBy);
    const notRequester =
      verb === 'approve' && def.allow_self !== true && others.length > 0 && others.length < approvers.length;
    const who = notRequester
      ? `${others.map((p) => nameOf(runbook, p)).join(', ')} can approve the ${title} gate (gates.${gateId}.approvers, not ${nameOf(runbook, d.requestedBy)}: they requested this deployment)`
      : `${describePeople(runbook, def.approvers)} can ${verb} the ${title} gate (gates.${gateId}.approvers)`;
    return new UserError(
      'NOT_AN_APPROVER',
      `only ${who}; your ${verb === 'approve' ? 'approval' : 'rejection'} was not counted`,
    );
  }
  if (verb === 'approve' && by === d.requestedBy && def.allow_self !== true)
    return new UserError(
      'SELF_APPROVAL',
      `you requested this deployment, so your approval does not count for the ${title} gate${askOthers(runbook, approvers, by)}`,
    );
  return undefined;
}

function authorizeRollbackApproval(runbook: Runbook, d: Deployment, by: string): UserError | undefined {
  const approval = rollbackApproval(runbook);
  // Who it waits for, so the person can pass it on (an asker's repeated /rollback lands here too).
  const waiting = d.rollback && !d.rollback.started ? `; ${describeRollbackWait(runbook, d.rollback)}` : '';
  if (!approval.approvers.includes(by))
    return new UserError(
      'NOT_AN_APPROVER',
      `only ${describePeople(runbook, approval.refs)} can approve the rollback of ${d.id}, so yours was not counted${waiting}`,
    );
  if (d.rollback && d.rollback.by === by && !approval.allowSelf)
    return new UserError(
      'SELF_APPROVAL',
      `you asked for the rollback of ${d.id}, so your approval does not count${waiting || askOthers(runbook, approval.approvers, by)}`,
    );
  return undefined;
}

/**
 * Running the rest of a deployment after its window closed is leaving the window: where the runbook lets a start
 * outside it only through an override gate, that gate's approvers make this choice too (and, as for the gate, not
 * the requester unless the gate allows it); elsewhere it is a decision like any other.
 */
function authorizeWindowRun(runbook: Runbook, d: Deployment, by: string): UserError | undefined {
  const gate = windowOverrideGate(runbook);
  if (!gate) return requirePermission(runbook, by, 'decide', `decide for ${d.id}`);
  const { id: gateId, def } = gate;
  const approvers = resolvePeople(runbook, def.approvers);
  const selfAllowed = def.allow_self === true;
  const allowed = approvers.filter((p) => selfAllowed || p !== d.requestedBy);
  const self = by === d.requestedBy && !selfAllowed;
  if (approvers.includes(by) && !self) return undefined;
  const who = allowed.length > 0 ? allowed.map((p) => nameOf(runbook, p)).join(', ') : 'nobody';
  const notRequester = !selfAllowed && approvers.includes(d.requestedBy);
  return new UserError(
    self ? 'SELF_APPROVAL' : 'NOT_AN_APPROVER',
    `only ${who} can let ${d.id} run outside its deployment window (the ${def.title ?? gateId} gate's approvers, gates.${gateId}.approvers${notRequester ? `, not ${nameOf(runbook, d.requestedBy)}: they requested this deployment` : ''}); your choice was not taken`,
  );
}

/** Refuses an event its person may not cause on this deployment; events the system causes always pass. */
export function authorizeEvent(
  runbook: Runbook,
  d: Deployment,
  event: DeploymentEvent,
): UserError | undefined {
  if (!('by' in event) || event.by === SYSTEM_ACTOR) return undefined;
  const { by } = event;
  switch (event.type) {
    case 'rollback.request':
      return requirePermission(runbook, by, 'rollback', `roll back ${d.id}`);
    case 'rollback.approve':
      return authorizeRollbackApproval(runbook, d, by);
    case 'decide':
      if (event.choice === 'run' && d.decision?.window === true) return authorizeWindowRun(runbook, d, by);
      return requirePermission(
        runbook,
        by,
        event.choice === 'rollback' ? 'rollback' : 'decide',
        `decide for ${d.id}`,
      );
    case 'abort':
      return requirePermission(
        runbook,
        by,
        'abort',
        event.emergency ? `make an emergency stop of ${d.id}` : `abort ${d.id}`,
      );
    case 'pause':
    case 'resume':
      return requirePermission(runbook, by, 'pause', `${event.type} ${d.id}`);
    case 'gate.approve':
      return authorizeGate(runbook, d, event.gate, by, 'approve');
    case 'gate.reject':
      return authorizeGate(runbook, d, event.gate, by, 'reject');
    case 'gate.reason': {
      const rejecter = d.gates.find((g) => g.id === event.gate)?.rejection?.by;
      if (rejecter === undefined || rejecter === by) return undefined;
      const title = gateDefinition(runbook, event.gate)?.title ?? event.gate;
      return new UserError(
        'NOT_THE_OWNER',
        `only ${nameOf(runbook, rejecter)}, who rejected the ${title} gate, can give its reason; yours was not recorded`,
      );
    }
    case 'checklist.tick': {
      const def = runbook.checklist?.find((i) => i.id === event.item);
      if (!def || def.run !== undefined || def.argv !== undefined) return undefined;
      if (resolvePeople(runbook, def.owner).includes(by)) return undefined;
      return new UserError(
        'NOT_THE_OWNER',
        `only ${describePeople(runbook, def.owner)} can tick "${def.title}"; your tick was not counted`,
      );
    }
    // Withdrawing and unticking change only what that same person did.
    case 'gate.withdraw':
    case 'checklist.untick':
    case 'rollback.withdraw':
      return undefined;
    // A monitoring task's owners are checked where the task is found (on-monitoring.ts), still in the core.
    case 'task.tick':
    case 'task.untick':
      return undefined;
  }
}
