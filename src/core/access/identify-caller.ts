/** Turning a platform user id into a runbook person. */
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Caller } from './caller.ts';

/** The runbook person the caller is, by their chat user id on their platform (console: the person id). */
export function identifyCaller(
  runbook: Runbook,
  caller: Pick<Caller, 'platform' | 'userId'>,
): string | UserError {
  const { platform, userId } = caller;
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
