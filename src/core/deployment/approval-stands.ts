/**
 * A ✅ taken off a gate that has already closed on it: nothing is withdrawn, and the person, who meant to take their
 * approval back, is told that it stands and what to do instead. Every platform's reaction path meets here.
 */
import { permissionRefs } from '../access/permissions.ts';
import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import type { Permission, Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import { gateDefinition } from './runbook-lookup.ts';

/** ` (only … may: ask them)` when `person` does not hold `permission`. */
function mayNote(runbook: Runbook, person: string, permission: Permission): string {
  const refs = permissionRefs(runbook, permission);
  if (resolvePeople(runbook, refs).includes(person)) return '';
  return ` (only ${describePeople(runbook, refs)} may: ask them)`;
}

/** Where the deployment is now, and what stops or undoes what the approval let through; undefined when it is over. */
function instead(runbook: Runbook, d: Deployment, by: string): string | undefined {
  const pause = `\`/deploy pause ${d.id}\`${mayNote(runbook, by, 'pause')}`;
  const abort = `\`/deploy abort ${d.id}\`${mayNote(runbook, by, 'abort')}`;
  const rollback = `\`/rollback ${d.id}\`${mayNote(runbook, by, 'rollback')}`;
  switch (d.state) {
    case 'awaiting_gates':
    case 'scheduled':
    case 'running':
    case 'needs_decision':
      return d.paused
        ? `the steps it let through have started. ${d.id} is paused; to stop it: ${abort}.`
        : `the steps it let through have started. To hold ${d.id}'s next steps: ${pause}; to stop it: ${abort}.`;
    case 'verifying':
      return `the steps it let through have run. To stop ${d.id}: ${abort}; to undo it: ${rollback}.`;
    case 'monitoring':
    case 'succeeded':
      return `${d.id} is live. To undo it: ${rollback}.`;
    case 'rolling_back':
      return `${d.id} is already rolling back; \`/deploy status ${d.id}\` shows how far it got.`;
    // Over without going live (or a rollback that ended): nothing rests on the approval any more.
    default:
      return undefined;
  }
}

/**
 * The answer to `by` taking their ✅ off gate `gateId` once the gate can no longer be reopened by it (its steps
 * have started, or the deployment went live): undefined where there is nothing to say (no approval of theirs
 * counted, the gate still open, the deployment over without going live).
 */
export function approvalStands(
  runbook: Runbook,
  d: Deployment,
  gateId: string,
  by: string,
): UserError | undefined {
  const gate = d.gates.find((g) => g.id === gateId);
  if (gate?.status !== 'approved' || !gate.approvals.some((a) => a.by === by)) return undefined;
  const next = instead(runbook, d, by);
  if (next === undefined) return undefined;
  const title = gateDefinition(runbook, gateId)?.title ?? gateId;
  return new UserError(
    'GATE_CLOSED',
    `the ${title} gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): ${next}`,
  );
}
