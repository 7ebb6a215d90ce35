/** Applying events to stored deployments: read, transition, compare-and-set, retry on conflict. */
import type { Deployment } from '../deployment/deployment.ts';
import type { DeploymentEvent } from '../deployment/events.ts';
import { transition } from '../deployment/transition.ts';
import { UserError } from '../errors.ts';
import type { Clock, DeploymentStore, IncidentStore, RunbookCatalog } from '../ports.ts';
import { describeLockHolder } from './describe-lock.ts';

export interface EngineDeps {
  readonly store: DeploymentStore;
  readonly incidents: IncidentStore;
  readonly runbooks: RunbookCatalog;
  readonly clock: Clock;
}

export type ApplyOutcome =
  | {
      readonly ok: true;
      readonly deployment: Deployment;
      readonly changed: boolean;
      readonly reply?: string;
      /** The same event id was applied before. */
      readonly duplicate?: boolean;
    }
  | { readonly ok: false; readonly error: UserError };

const MAX_ATTEMPTS = 25;

/**
 * Applies an event to a stored deployment. Concurrent writers are resolved by compare-and-set: on a conflict
 * the deployment is read again and the event re-applied to the fresh state, so an event is applied once.
 */
export async function applyEvent(
  deps: EngineDeps,
  id: string,
  event: DeploymentEvent,
  options: { readonly eventId?: string } = {},
): Promise<ApplyOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await deps.store.get(id);
    if (!before)
      return { ok: false, error: new UserError('UNKNOWN_DEPLOYMENT', `there is no deployment "${id}"`) };
    const runbook = await deps.runbooks.pinned(before.runbookDigest);
    const now = deps.clock.now();
    const result = transition({ runbook, now }, before, event);
    if (!result.ok) return result;
    if (!result.changed)
      return {
        ok: true,
        deployment: before,
        changed: false,
        ...(result.reply !== undefined && { reply: result.reply }),
      };
    const outcome = await deps.store.commit({
      before,
      after: result.deployment,
      audit: result.audit,
      effects: result.effects,
      at: now,
      ...(result.lock !== undefined && { lock: result.lock }),
      ...(options.eventId !== undefined && { eventId: options.eventId }),
      ...('by' in event && { confirms: true }),
    });
    switch (outcome.status) {
      case 'committed':
        return {
          ok: true,
          deployment: result.deployment,
          changed: true,
          ...(result.reply !== undefined && { reply: result.reply }),
        };
      case 'duplicate':
        return { ok: true, deployment: before, changed: false, duplicate: true };
      case 'locked':
        return {
          ok: false,
          error: new UserError(
            'LOCKED',
            await describeLockHolder(deps.store, before, outcome.holder, now, deps.incidents),
          ),
        };
      case 'conflict':
        continue;
    }
  }
  throw new Error(`deployment ${id}: gave up after ${MAX_ATTEMPTS} conflicting writes for ${event.type}`);
}
