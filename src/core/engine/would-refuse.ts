/**
 * Whether a person's action would be refused now, without applying, auditing or counting anything: for a platform
 * that must choose what to show before the action is taken (Discord's Reject opens a form for the reason; a person
 * who may not reject, or a gate already decided, is answered at once instead). The refusal itself still comes
 * through `applyPersonAction`, the one door, which audits and counts it.
 */
import type { Caller } from '../access/caller.ts';
import { identifyCaller } from '../access/identify-caller.ts';
import type { DeploymentEvent } from '../deployment/events.ts';
import { transition } from '../deployment/transition.ts';
import { UserError } from '../errors.ts';
import type { PersonAction } from './act.ts';
import type { EngineDeps } from './apply-event.ts';

/** The refusal the action would get now, or undefined when it would be taken. */
export async function wouldRefuse(
  deps: Pick<EngineDeps, 'store' | 'runbooks' | 'clock'>,
  caller: Caller,
  deploymentId: string,
  action: PersonAction,
): Promise<UserError | undefined> {
  const deployment = await deps.store.get(deploymentId);
  if (!deployment) return new UserError('UNKNOWN_DEPLOYMENT', `there is no deployment "${deploymentId}"`);
  const runbook = await deps.runbooks.pinned(deployment.runbookDigest);
  const person = identifyCaller(runbook, caller);
  if (person instanceof UserError) return person;
  const event = { ...action, by: person } as DeploymentEvent;
  const result = transition({ runbook, now: deps.clock.now() }, deployment, event);
  return result.ok ? undefined : result.error;
}
