/** Stages shared by commands: who the caller is in a runbook, and whether they may do something. */

import { describePeople, type Permission, type Runbook, resolvePeople, UserError } from '../core/index.ts';
import type { Invocation } from './command.ts';

/** The runbook person the caller is, by their chat user id on this platform. */
export function identify(
  runbook: Runbook,
  invocation: Pick<Invocation, 'platform' | 'userId'>,
): string | UserError {
  const { platform, userId } = invocation;
  const found = Object.entries(runbook.people).find(([id, person]) => {
    if (platform === 'console') return id === userId;
    return platform === 'slack' ? person.slack === userId : person.discord === userId;
  });
  if (found) return found[0];
  const where = platform === 'console' ? `"${userId}"` : `your ${platform} user id (${userId})`;
  return new UserError(
    'UNKNOWN_PERSON',
    `${where} is not among the people of the ${runbook.service} runbook, so Preflight does not know who you are there; ask a maintainer to add you under people:`,
  );
}

/** Who may do what when the runbook leaves a permission out. */
function refsFor(runbook: Runbook, permission: Permission): readonly string[] {
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

/** Refuses unless `person` holds `permission` in the runbook. */
export function authorize(
  runbook: Runbook,
  person: string,
  permission: Permission,
  what: string,
): UserError | undefined {
  const refs = refsFor(runbook, permission);
  if (resolvePeople(runbook, refs).includes(person)) return undefined;
  return new UserError(
    'NOT_PERMITTED',
    `you cannot ${what}: in the ${runbook.service} runbook only ${describePeople(runbook, refs)} may (permissions.${permission})`,
  );
}

/** Identify, then authorize, in one stage. */
export function identifyAndAuthorize(
  runbook: Runbook,
  invocation: Invocation,
  permission: Permission,
  what: string,
): string | UserError {
  const person = identify(runbook, invocation);
  if (person instanceof UserError) return person;
  return authorize(runbook, person, permission, what) ?? person;
}
