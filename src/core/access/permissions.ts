/** The runbook's `permissions`: who may do what, with the defaults for permissions a runbook leaves out. */
import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Permission, Runbook } from '../runbook/schema.ts';

/** The people and groups holding `permission`, after the defaults. */
export function permissionRefs(runbook: Runbook, permission: Permission): readonly string[] {
  const p = runbook.permissions;
  switch (permission) {
    case 'deploy':
    case 'rollback':
      return p[permission];
    case 'abort':
      return p.abort ?? [...p.deploy, ...p.rollback];
    case 'pause':
    case 'decide':
    case 'lock':
      return p[permission] ?? p.deploy;
    case 'incident':
      return p.incident ?? Object.keys(runbook.people);
  }
}

/** Refuses unless `person` holds `permission`; the refusal says who may, and where that is written. */
export function requirePermission(
  runbook: Runbook,
  person: string,
  permission: Permission,
  what: string,
): UserError | undefined {
  const refs = permissionRefs(runbook, permission);
  if (resolvePeople(runbook, refs).includes(person)) return undefined;
  return new UserError(
    'NOT_PERMITTED',
    `you cannot ${what}: in the ${runbook.service} runbook only ${describePeople(runbook, refs)} may (permissions.${permission})`,
  );
}

/** The permission a person's action needs, for actions judged by one (`rollback.request` → `rollback`). */
const PERMISSION_OF: Readonly<Record<string, { permission: Permission; verb: string }>> = {
  'rollback.request': { permission: 'rollback', verb: 'roll back' },
  abort: { permission: 'abort', verb: 'abort' },
  pause: { permission: 'pause', verb: 'pause' },
  resume: { permission: 'pause', verb: 'resume' },
  start: { permission: 'deploy', verb: 'start a deployment' },
  lock: { permission: 'lock', verb: 'lock deployments' },
  unlock: { permission: 'lock', verb: 'unlock deployments' },
  'incident.open': { permission: 'incident', verb: 'open an incident' },
  'incident.resolve': { permission: 'incident', verb: 'resolve an incident' },
};

/**
 * Who may do `action` in this runbook, said to someone refused it (`only Alice, Bob may roll back
 * (permissions.rollback)`); undefined for an action no single permission decides.
 */
export function whoMay(runbook: Runbook, action: string): string | undefined {
  const needs = Object.hasOwn(PERMISSION_OF, action) ? PERMISSION_OF[action] : undefined;
  if (!needs) return undefined;
  const refs = permissionRefs(runbook, needs.permission);
  return `only ${describePeople(runbook, refs)} may ${needs.verb} (permissions.${needs.permission})`;
}
