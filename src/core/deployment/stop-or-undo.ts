/**
 * What stops or undoes a deployment from where it is now, for someone whose ✅ can no longer be taken back (an
 * approval of a gate that closed, a tick on a checklist that passed): the commands, and who may run them.
 */
import { permissionRefs } from '../access/permissions.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Permission, Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';

/** What the ✅ let through, in words: while its steps are under way (`started`), and once they have run. */
export interface LetThrough {
  readonly started: string;
  readonly ran: string;
}

/** ` (only … may: ask them)` when `person` does not hold `permission`. */
function mayNote(runbook: Runbook, person: string, permission: Permission): string {
  const refs = permissionRefs(runbook, permission);
  if (resolvePeople(runbook, refs).includes(person)) return '';
  return ` (only ${describePeople(runbook, refs)} may: ask them)`;
}

/**
 * Where the deployment is now, and what `by` can do to stop or undo what the ✅ let through; undefined when it is
 * over without going live (nothing rests on the ✅ any more).
 */
export function stopOrUndo(
  runbook: Runbook,
  d: Deployment,
  by: string,
  through: LetThrough,
): string | undefined {
  const pause = `\`/deploy pause ${d.id}\`${mayNote(runbook, by, 'pause')}`;
  const abort = `\`/deploy abort ${d.id}\`${mayNote(runbook, by, 'abort')}`;
  const rollback = `\`/rollback ${d.id}\`${mayNote(runbook, by, 'rollback')}`;
  switch (d.state) {
    case 'awaiting_gates':
    case 'scheduled':
    case 'running':
    case 'needs_decision':
      return d.paused
        ? `${through.started}. ${d.id} is paused; to stop it: ${abort}.`
        : `${through.started}. To hold ${d.id}'s next steps: ${pause}; to stop it: ${abort}.`;
    case 'verifying':
      return `${through.ran}. To stop ${d.id}: ${abort}; to undo it: ${rollback}.`;
    case 'monitoring':
    case 'succeeded':
      return `${d.id} is live. To undo it: ${rollback}.`;
    case 'rolling_back':
      return `${d.id} is already rolling back; \`/deploy status ${d.id}\` shows how far it got.`;
    // Over without going live (or a rollback that ended): nothing rests on the ✅ any more.
    default:
      return undefined;
  }
}
