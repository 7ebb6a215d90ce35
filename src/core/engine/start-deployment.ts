/** Starting a deployment from a chat command: runbook, required variables, id, lock, first commit. */
import type { Caller } from '../access/caller.ts';
import { requirePermission } from '../access/permissions.ts';
import { createDeployment } from '../deployment/create-deployment.ts';
import type { Deployment } from '../deployment/deployment.ts';
import { UserError } from '../errors.ts';
import { checkVersion, resolveEnvironment } from '../params/check-parameters.ts';
import type { SecretSource } from '../ports.ts';
import { didYouMeanAside } from '../runbook/suggest.ts';
import { type ApplyOutcome, applyEvent, type EngineDeps } from './apply-event.ts';
import { describeLockHolder } from './describe-lock.ts';
import { identifyOrRefuse, recordIfRefusal } from './record-refusal.ts';

export interface StartRequest {
  /** Who asks: identified against the service's runbook and authorized by `permissions.deploy`. */
  readonly caller: Caller;
  readonly service: string;
  readonly version: string;
  readonly environment?: string;
}

/** Refusal for a service Preflight has no runbook for. */
export function unknownService(service: string, known: readonly string[]): UserError {
  return new UserError(
    'UNKNOWN_SERVICE',
    `there is no runbook for "${service}"${didYouMeanAside(service, known)}; Preflight deploys ${known.join(', ') || 'nothing yet'}`,
  );
}

/** Starts a deployment for a person who may deploy the service, or explains why it cannot start. */
export async function startDeployment(
  deps: EngineDeps & { readonly secrets: SecretSource },
  request: StartRequest,
): Promise<ApplyOutcome> {
  const loaded = deps.runbooks.current(request.service);
  if (!loaded) return { ok: false, error: unknownService(request.service, deps.runbooks.services()) };
  const { runbook } = loaded;
  // The same request handled again (its process died after starting it): the answer is the deployment it started.
  const earlier = await startedBefore(deps, request.caller.request);
  if (earlier) return earlier;
  const about = { subject: `service:${runbook.service}`, action: 'start' };
  const requestedBy = await identifyOrRefuse(deps, runbook, request.caller, about);
  if (requestedBy instanceof UserError) return { ok: false, error: requestedBy };
  const refused = requirePermission(runbook, requestedBy, 'deploy', `deploy ${runbook.service}`);
  if (refused) {
    await recordIfRefusal(deps, refused, {
      ...about,
      actor: requestedBy,
      via: request.caller.via,
      ...(request.caller.request !== undefined && { request: request.caller.request }),
    });
    return { ok: false, error: refused };
  }
  const environment = resolveEnvironment(runbook, request.environment);
  if (environment instanceof UserError) return { ok: false, error: environment };
  // What the person typed is checked before the state of the world: a typo is theirs to fix, a variable is not.
  const badVersion = checkVersion(runbook, request.version);
  if (badVersion) return { ok: false, error: badVersion };
  const missing = deps.secrets.missing(runbook.requires?.env ?? []);
  if (missing.length > 0) {
    const names = missing.join(', ');
    return {
      ok: false,
      error: new UserError(
        'MISSING_ENV',
        `cannot start: ${names} ${missing.length === 1 ? 'is' : 'are'} not set where Preflight runs; set ${missing.length === 1 ? 'it' : 'them'} and try again`,
      ),
    };
  }
  const live = await deps.store.liveVersion(runbook.service, environment);
  const now = deps.clock.now();
  const create = (id: string) =>
    createDeployment(
      { runbook, now },
      {
        id,
        version: request.version,
        environment,
        requestedBy,
        runbookDigest: loaded.digest,
        origin: request.caller.platform,
        ...(live !== undefined && { previousVersion: live.version }),
      },
    );
  // A refusal uses up no id: check everything that can refuse before taking the next one.
  const trial = create(`${runbook.service}-0`);
  if (!trial.ok) return trial;
  const busy = await deps.store.lockHolder(runbook.service, environment);
  if (busy)
    return {
      ok: false,
      error: new UserError(
        'LOCKED',
        await describeLockHolder(deps.store, trial.deployment, busy, now, deps.incidents, runbook.people),
      ),
    };
  await deps.runbooks.pin(loaded);
  const id = await deps.store.nextId(runbook.service);
  const result = create(id);
  if (!result.ok) return result;
  const outcome = await deps.store.commit({
    before: undefined,
    after: result.deployment,
    audit: result.audit,
    effects: result.effects,
    at: now,
    lock: 'acquire',
    confirms: true,
    ...(request.caller.request !== undefined && { eventId: request.caller.request }),
  });
  if (outcome.status !== 'committed') await deps.store.releaseId(runbook.service, id);
  if (outcome.status === 'duplicate') {
    const started = await deps.store.get(outcome.deployment);
    if (started) return { ok: true, deployment: started, changed: false, duplicate: true };
  }
  if (outcome.status === 'locked') {
    return {
      ok: false,
      error: new UserError(
        'LOCKED',
        await describeLockHolder(
          deps.store,
          result.deployment,
          outcome.holder,
          now,
          deps.incidents,
          runbook.people,
        ),
      ),
    };
  }
  if (outcome.status !== 'committed')
    throw new Error(`deployment ${id} could not be created (${outcome.status})`);
  return { ok: true, deployment: result.deployment, changed: true };
}

/** The deployment this request already started, if it did. */
async function startedBefore(
  deps: EngineDeps,
  request: string | undefined,
): Promise<ApplyOutcome | undefined> {
  if (request === undefined) return undefined;
  const id = await deps.store.eventTarget(request);
  const started = id === undefined ? undefined : await deps.store.get(id);
  return started && { ok: true, deployment: started, changed: false, duplicate: true };
}

/**
 * A newer deployment of the same service and environment ends the monitoring of older ones when it goes live
 * (enters monitoring), not when it starts: a deployment stopped at its checklist leaves the live one watched.
 */
export async function endSupersededMonitoring(deps: EngineDeps, started: Deployment): Promise<void> {
  const older = await deps.store.list({ service: started.service, activeOnly: true, limit: 50 });
  for (const d of older) {
    if (d.id === started.id || d.environment !== started.environment || d.state !== 'monitoring') continue;
    await applyEvent(deps, d.id, { type: 'monitoring.complete', reason: `superseded by ${started.id}` });
  }
}
