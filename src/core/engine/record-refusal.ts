/** Refusals leave a trace: an `access.refused` audit record on what was asked about, and a count for /metrics. */
import {
  type Caller,
  describeCaller,
  type InputPath,
  isAccessRefusal,
  type Refusal,
} from '../access/caller.ts';
import { identifyCaller } from '../access/identify-caller.ts';
import { whoMay } from '../access/permissions.ts';
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { EngineDeps } from './engine-deps.ts';

/**
 * Writes the refusal to the audit log of its subject and counts it; a request handled again (its answer failed and
 * the inbox retried it) is recorded and counted once.
 */
export async function recordRefusal(deps: EngineDeps, refusal: Refusal): Promise<void> {
  const { subject, actor, action, via, code, reason, request } = refusal;
  const recorded = await deps.store.appendAudit(
    subject,
    [{ type: 'access.refused', actor, detail: { action, via, code, reason } }],
    deps.clock.now(),
    request !== undefined ? { once: `refused:${request}:${subject}:${action}` } : {},
  );
  if (recorded) deps.refusals?.count(refusal);
}

/** Records `error` when it is an access refusal (who the person is, what they may do); other errors pass. */
export async function recordIfRefusal(
  deps: EngineDeps,
  error: UserError,
  about: Omit<Refusal, 'code' | 'reason'>,
): Promise<void> {
  if (isAccessRefusal(error.code))
    await recordRefusal(deps, { ...about, code: error.code, reason: error.message });
}

/**
 * Records `error` against `subject` when it refuses a person's event (one with `by`); an event of Preflight's own
 * leaves no refusal.
 */
export async function recordEventRefusal(
  deps: EngineDeps,
  error: UserError,
  subject: string,
  event: { readonly type: string; readonly by?: string },
  from: { readonly via?: InputPath | undefined; readonly request?: string | undefined },
): Promise<void> {
  if (event.by === undefined) return;
  await recordIfRefusal(deps, error, {
    subject,
    action: event.type,
    actor: event.by,
    via: from.via ?? 'api',
    ...(from.request !== undefined && { request: from.request }),
  });
}

/**
 * The runbook person a caller is; an unknown caller's refusal is recorded against `subject` for `action`.
 * Adapters never map user ids to people themselves: this is the only place.
 */
export async function identifyOrRefuse(
  deps: EngineDeps,
  runbook: Runbook,
  caller: Caller,
  about: { readonly subject: string; readonly action: string },
  /** Who may do it, when the action is judged by more than one permission (an incident's escalation ladder). */
  whoMayInstead?: string,
): Promise<string | UserError> {
  const identified = identifyCaller(runbook, caller);
  // Refused for who they are, the person is also told who may do what they asked, to pass it on.
  const may = identified instanceof UserError ? (whoMayInstead ?? whoMay(runbook, about.action)) : undefined;
  const person =
    identified instanceof UserError && may !== undefined
      ? new UserError(identified.code, `${identified.message} — in the ${runbook.service} runbook ${may}`)
      : identified;
  if (person instanceof UserError)
    await recordIfRefusal(deps, person, {
      ...about,
      actor: describeCaller(caller),
      via: caller.via,
      ...(caller.request !== undefined && { request: caller.request }),
    });
  return person;
}
