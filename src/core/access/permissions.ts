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
