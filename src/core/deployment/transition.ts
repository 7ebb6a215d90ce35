/** The deployment state machine: one pure function of (deployment, event, now) → new deployment and effects. */
import { authorizeEvent } from '../access/authorize-event.ts';
import { describeRollbackWait } from '../access/rollback-approval.ts';
import { UserError } from '../errors.ts';
import { approvalStands } from './approval-stands.ts';
import { Change, refuse, type TransitionContext, type TransitionResult } from './change.ts';
import { type Deployment, hasStartedAStep } from './deployment.ts';
import { type DeploymentEvent, isWithdrawal } from './events.ts';
import { onChecklist, repeatedTick } from './on-checklist.ts';
import { onControl } from './on-control.ts';
import { onGate, repeatedGateAct } from './on-gates.ts';
import { onMonitoring } from './on-monitoring.ts';
import { onStep, startOffered } from './on-steps.ts';
import { givenOtherwise, heldElsewhere } from './reaction-gave.ts';
import { approveRollback, asRollbackApproval, startRollback, withdrawRollbackApproval } from './rollback.ts';
import { canRollBack, rollbackPlanOf } from './rollback-offer.ts';
import { accepts } from './state-table.ts';
import { tickStands } from './tick-stands.ts';

const STATE_WORDS: Record<Deployment['state'], string> = {
  checklist: 'running its checklist',
  awaiting_gates: 'waiting for approvals',
  scheduled: 'waiting for its next step',
  running: 'running a step',
  verifying: 'verifying health',
  monitoring: 'being monitored',
  needs_decision: 'waiting for a decision',
  succeeded: 'finished (succeeded)',
  failed: 'finished (failed)',
  aborted: 'aborted',
  rolling_back: 'rolling back',
  rolled_back: 'rolled back',
  rollback_failed: 'finished (rollback failed)',
};

type Hinted = Pick<Deployment, 'id' | 'service' | 'version' | 'environment'>;

const status = (d: Hinted, what: string) => `\`/deploy status ${d.id}\` shows ${what}`;
const tryAgain = (d: Hinted) => `\`/deploy start ${d.service} ${d.version} ${d.environment}\` tries it again`;
const history = (d: Hinted) => `\`/deploy history ${d.service}\` lists what ran`;
/** `/rollback <id>` and what it does, where the runbook has a rollback plan and a step of the deployment started. */
const rollBack = (d: Hinted, plan: boolean, what: string) => (plan ? [`\`/rollback ${d.id}\` ${what}`] : []);

/** What a person can do about a deployment in this state, after a refusal (the commands are design.md's). */
const STATE_HINTS: Partial<Record<Deployment['state'], (d: Hinted, plan: boolean) => readonly string[]>> = {
  checklist: () => ['once its checklist is done it asks for approvals'],
  awaiting_gates: () => ['the gate messages in its thread say who may approve'],
  scheduled: () => ['/deploy status shows when its next step runs'],
  running: () => ['wait for the step to finish (/deploy status shows it), or /deploy abort'],
  verifying: () => ['wait for its health check (/deploy status shows it)'],
  monitoring: (d, plan) => [status(d, 'how long it is watched'), ...rollBack(d, plan, 'rolls it back')],
  rolling_back: () => ['wait for the rollback to finish; /deploy status shows how far it got'],
  needs_decision: () => ['the question in its thread says what /deploy decide takes'],
  succeeded: (d, plan) => [
    ...rollBack(d, plan, `rolls it back while it is what runs in ${d.environment}`),
    history(d),
  ],
  failed: (d, plan) => [status(d, 'what failed'), tryAgain(d), ...rollBack(d, plan, 'undoes what it did')],
  aborted: (d, plan) => [
    tryAgain(d),
    status(d, 'how far it got'),
    ...rollBack(d, plan, 'undoes what it did'),
  ],
  rolled_back: (d) => [
    `once it is safe to deploy again, \`/deploy unlock ${d.service} ${d.environment} <reason>\` and \`/deploy start ${d.service} <version> ${d.environment}\` with a fixed version`,
    history(d),
  ],
  rollback_failed: (d, plan) => [
    status(d, 'which rollback step failed'),
    ...rollBack(d, plan, 'tries the rollback again'),
  ],
};

/** Describes a deployment's state in words, for messages. */
export function describeState(state: Deployment['state']): string {
  return STATE_WORDS[state];
}

/** Why the deployment cannot take an event now, and what the person can do. */
function wrongState(ctx: TransitionContext, d: Deployment): UserError {
  // Nothing finishes while a rollback waits for approval: say who it waits for instead.
  const waiting = d.state === 'rolling_back' && d.rollback && !d.rollback.started ? d.rollback : undefined;
  const words = waiting ? 'waiting for its rollback to be approved' : describeState(d.state);
  const hint = waiting
    ? describeRollbackWait(ctx.runbook, waiting)
    : STATE_HINTS[d.state]?.(d, canRollBack(ctx.runbook, d)).join('; ');
  return new UserError(
    'WRONG_STATE',
    `deployment ${d.id} is ${words}, so it cannot take that now${hint ? `; ${hint}` : ''}`,
  );
}

function dispatch(c: Change, event: DeploymentEvent): TransitionResult | undefined {
  switch (event.type) {
    case 'checklist.result':
    case 'checklist.tick':
    case 'checklist.untick':
      return onChecklist(c, event);
    case 'gate.approve':
    case 'gate.withdraw':
    case 'gate.reject':
    case 'gate.reason':
    case 'gate.expire':
    case 'gate.remind':
      return onGate(c, event);
    case 'step.start':
    case 'step.finish':
    case 'step.interrupt':
      return onStep(c, event);
    case 'abort':
    case 'pause':
    case 'resume':
    case 'decide':
    case 'verify.result':
    case 'monitoring.complete':
      return onControl(c, event);
    case 'rollback.request':
      return startRollback(c, event.by, event.reason);
    case 'rollback.approve':
      return approveRollback(c, event.by, event.onMessage, event.prompt);
    case 'rollback.withdraw':
      return withdrawRollbackApproval(c, event.by, event.prompt);
    case 'success.result':
    case 'task.tick':
    case 'task.untick':
      return onMonitoring(c, event);
  }
}

/**
 * Applies one event. A person's rollback request while a rollback waits for approval is their approval of it.
 * Refuses events their person may not cause (`authorizeEvent`) and events the current state does not accept
 * (WRONG_STATE), but for a withdrawal (`isWithdrawal`), which changes what is still theirs to take back or
 * nothing; returns `changed: false` for repeats, so applying the same event twice changes nothing.
 */
export function transition(
  ctx: TransitionContext,
  deployment: Deployment,
  given: DeploymentEvent,
): TransitionResult {
  const event = asRollbackApproval(deployment, given);
  // A ✅ taken off takes back only what that ✅ gave: not an approval or tick given by a button, a command or
  // another message's ✅.
  // Nor one still held by another ✅ of theirs on a message that asks for the same (a gate's reminder).
  const held = heldElsewhere(ctx.runbook, deployment, event);
  if (held)
    return {
      ok: true,
      deployment: { ...held.deployment, revision: deployment.revision + 1 },
      effects: [],
      audit: [],
      changed: true,
      reply: held.reply,
    };
  const other = givenOtherwise(ctx.runbook, deployment, event);
  if (other !== undefined)
    return other === '' ? unchanged(deployment) : refuse(new UserError('ALREADY_DONE', other));
  const result = decide(ctx, deployment, event);
  if (result.ok || !isWithdrawal(event)) return result;
  // A ✅ taken off a gate that closed on it, or off an item of a checklist that passed: the approval or tick
  // stands, and the person is told so and what to do instead.
  const stands =
    event.type === 'gate.withdraw'
      ? approvalStands(ctx.runbook, deployment, event.gate, event.by)
      : event.type === 'checklist.untick'
        ? tickStands(ctx.runbook, deployment, event.item, event.by)
        : undefined;
  // A withdrawal that finds nothing else to take back (no approval of theirs counted, a deployment over) is not a
  // request that failed: nothing changes, nothing is said.
  return stands ? refuse(stands) : unchanged(deployment);
}

function decide(ctx: TransitionContext, deployment: Deployment, event: DeploymentEvent): TransitionResult {
  const refused = authorizeEvent(ctx.runbook, deployment, event);
  if (refused) return refuse(refused);
  if (!accepts(deployment.state, event.type)) {
    // A second press of what stopped it (a ❌ clicked twice), or a tick of what is ticked, is theirs, not a request
    // of a deployment that moved on.
    const repeated =
      repeatedGateAct(ctx.runbook, deployment, event) ?? repeatedTick(ctx.runbook, deployment, event);
    if (repeated !== undefined)
      return { ok: true, deployment, effects: [], audit: [], changed: false, reply: repeated };
    // A rollback asked for before any step started (its checklist still running): nothing to roll back, and how to stop it.
    const nothing = event.type === 'rollback.request' ? rollbackPlanOf(ctx.runbook, deployment) : undefined;
    if (nothing instanceof UserError && !hasStartedAStep(deployment)) return refuse(nothing);
    return refuse(wrongState(ctx, deployment));
  }
  const change = new Change(ctx, deployment);
  const result = dispatch(change, event);
  if (result) return result;
  if (ctx.startOffer) startOffered(change, ctx.startOffer);
  return change.result();
}

const unchanged = (deployment: Deployment): TransitionResult => ({
  ok: true,
  deployment,
  effects: [],
  audit: [],
  changed: false,
});
