/** Manual locks on a service's environment: taken and released only by people holding `permissions.lock`. */
import type { Caller } from '../access/caller.ts';
import { requirePermission } from '../access/permissions.ts';
import { UserError } from '../errors.ts';
import { resolveEnvironment } from '../params/check-parameters.ts';
import { maskLine } from '../redact/person-text.ts';
import type { EngineDeps } from './engine-deps.ts';
import { identifyOrRefuse, recordIfRefusal } from './record-refusal.ts';
import { unknownService } from './start-deployment.ts';

/** A lock change allowed: the service and environment by the runbook's names, who changes it, and why. */
export interface AllowedLockChange {
  readonly service: string;
  readonly environment: string;
  readonly person: string;
  readonly reason: string;
}

/**
 * The runbook's service and environment (named in any case), the caller as a person who may lock or unlock it, and
 * the reason they typed as Preflight keeps and repeats it (masked, on one line: as every typed reason is, before it
 * is stored, audited or shown); a refusal is audited under `lock:<service>:<environment>` and counted.
 */
export async function authorizeLockChange(
  deps: EngineDeps,
  caller: Caller,
  target: { readonly service: string; readonly environment: string },
  action: 'lock' | 'unlock',
  typed = '',
): Promise<AllowedLockChange | UserError> {
  const loaded = deps.runbooks.current(target.service);
  if (!loaded) return unknownService(target.service, deps.runbooks.services());
  const { service } = loaded.runbook;
  const environment = resolveEnvironment(loaded.runbook, target.environment);
  if (environment instanceof UserError) return environment;
  const about = { subject: `lock:${service}:${environment}`, action };
  const person = await identifyOrRefuse(deps, loaded.runbook, caller, about);
  if (person instanceof UserError) return person;
  const refused = requirePermission(loaded.runbook, person, 'lock', `${action} ${service} ${environment}`);
  if (!refused) return { service, environment, person, reason: maskLine(typed, deps.redactor) };
  await recordIfRefusal(deps, refused, {
    ...about,
    actor: person,
    via: caller.via,
    ...(caller.request !== undefined && { request: caller.request }),
  });
  return refused;
}
