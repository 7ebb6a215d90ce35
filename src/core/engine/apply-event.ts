/** Applying events to stored deployments: read, transition, compare-and-set, retry on conflict. */
import type { InputPath } from '../access/caller.ts';
import type { Deployment } from '../deployment/deployment.ts';
import { type DeploymentEvent, SYSTEM_ACTOR } from '../deployment/events.ts';
import { needsHistory, repeatedReply } from '../deployment/repeated-reply.ts';
import { transition } from '../deployment/transition.ts';
import { UserError } from '../errors.ts';
import { maskEventText } from '../redact/person-text.ts';
import { describeLockHolder } from './describe-lock.ts';
import type { EngineDeps } from './engine-deps.ts';
import { recordEventRefusal } from './record-refusal.ts';

export type { EngineDeps };

export interface ApplyOptions {
  /** A platform delivery id: a second commit with the same id is recognised and not applied. */
  readonly eventId?: string;
  /** The input path, recorded with a refusal (default `api`: a direct call). */
  readonly via?: InputPath;
  /** The deployment as the caller just read it: the first attempt starts from it (a stale one only conflicts). */
  readonly current?: Deployment;
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
 * Applies an event to a stored deployment. The person an event names is authorized in `transition`; a refusal
 * is audited and counted here. Concurrent writers are resolved by compare-and-set: on a conflict
 * the deployment is read again and the event re-applied to the fresh state, so an event is applied once.
 */
export async function applyEvent(
  deps: EngineDeps,
  id: string,
  given: DeploymentEvent,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  // A reason or note someone typed is kept in the deployment, its audit log and the outbox: masked first.
  const event = maskEventText(given, deps.redactor);
  // A person's action may start the step it makes due (an approval, a resume, a decision) in its own commit.
  const caused = 'by' in event && event.by !== SYSTEM_ACTOR;
  const offer = caused ? deps.offerStepStart?.() : undefined;
  const appliedBefore = async () =>
    options.eventId !== undefined && (await deps.store.eventTarget(options.eventId)) === id;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = attempt === 0 && options.current?.id === id ? options.current : await deps.store.get(id);
    if (!before)
      return { ok: false, error: new UserError('UNKNOWN_DEPLOYMENT', `there is no deployment "${id}"`) };
    const runbook = await deps.runbooks.pinned(before.runbookDigest);
    // A request handled again: what it did stands, and the answer says what that was.
    const repeated = async (deployment = before): Promise<ApplyOutcome> => {
      const history = needsHistory(event) ? await deps.store.audit(id) : [];
      const reply = repeatedReply(runbook, deployment, event, history);
      return { ok: true, deployment, changed: false, duplicate: true, ...(reply !== undefined && { reply }) };
    };
    const now = deps.clock.now();
    const stopUnderWay =
      event.type === 'abort' && event.emergency ? await deps.emergencyRuns?.holder(before) : undefined;
    const result = transition(
      {
        runbook,
        now,
        ...(offer && { startOffer: offer }),
        ...(stopUnderWay !== undefined && { stopUnderWay }),
      },
      before,
      event,
    );
    if (!result.ok) {
      // Applied before (a request handled again, or by another handling meanwhile): the state it led to refuses
      // it now, but it stands. Asked only here and below, so a first handling costs no extra read.
      if (await appliedBefore()) return repeated();
      await recordEventRefusal(deps, result.error, id, event, { via: options.via, request: options.eventId });
      return result;
    }
    if (!result.changed) {
      // Applied before: an approval handled again finds its own approval counted; it says the count it made.
      if (await appliedBefore()) return repeated();
      return {
        ok: true,
        deployment: before,
        changed: false,
        ...(result.reply !== undefined && { reply: result.reply }),
      };
    }
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
        // Committed by another handling of the same request: `before` does not show it yet.
        return repeated((await deps.store.get(id)) ?? before);
      case 'locked':
        return {
          ok: false,
          error: new UserError(
            'LOCKED',
            await describeLockHolder(deps.store, before, outcome.holder, now, deps.incidents, runbook.people),
          ),
        };
      case 'conflict':
        continue;
    }
  }
  throw new Error(`deployment ${id}: gave up after ${MAX_ATTEMPTS} conflicting writes for ${event.type}`);
}
