/**
 * Whether a rollback of a deployment can be asked for: the one rule the core refuses a rollback by, and the one the
 * chats offer Roll back by, so no message shows a button that can only be refused.
 */
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import { type Deployment, hasStartedAStep, isFinal } from './deployment.ts';
import { accepts } from './state-table.ts';

/**
 * Before its first step started a deployment changed nothing: its rollback steps would "restore" a service it never
 * touched. The refusal says what stops the deployment instead, or that an ended one left the service as it was.
 */
function nothingDeployed(d: Deployment): UserError {
  const what = `nothing of ${d.id} (${d.service} ${d.version}) was deployed: no step of it has started, so there is nothing to roll back`;
  const was = d.previousVersion ? ` (${d.previousVersion})` : '';
  return new UserError(
    'WRONG_STATE',
    isFinal(d)
      ? `${what}; ${d.service} in ${d.environment} was left as it was${was}`
      : `${what}. To stop it, \`/deploy abort ${d.id}\``,
  );
}

type RollbackPlan = NonNullable<Runbook['rollback']>;

/** The rollback plan that would roll `d` back, or why none can: no step of it started, or the runbook has none. */
export function rollbackPlanOf(runbook: Pick<Runbook, 'rollback'>, d: Deployment): RollbackPlan | UserError {
  if (!hasStartedAStep(d)) return nothingDeployed(d);
  return (
    runbook.rollback ??
    new UserError('WRONG_STATE', 'this runbook has no rollback plan; fix forward, or /deploy abort')
  );
}

/** True when a rollback of `d` could be asked for (in a state that takes it or not). */
export const canRollBack = (runbook: Pick<Runbook, 'rollback'>, d: Deployment): boolean =>
  !(rollbackPlanOf(runbook, d) instanceof UserError);

/** A rollback asked for that waits for approval: a person's 🔄, Roll back or /rollback now is their approval. */
export const awaitsRollbackApproval = (d: Pick<Deployment, 'state' | 'rollback'>): boolean =>
  d.state === 'rolling_back' && d.rollback?.started === false;

/**
 * Whether a person's Roll back would be taken now: a rollback that waits for approval (theirs approves it), or a
 * request in a state that takes one, of a deployment that has something to roll back.
 */
export const offersRollback = (runbook: Pick<Runbook, 'rollback'>, d: Deployment): boolean =>
  awaitsRollbackApproval(d) || (accepts(d.state, 'rollback.request') && canRollBack(runbook, d));
