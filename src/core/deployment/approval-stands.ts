/**
 * A ✅ taken off a gate that has already closed on it: nothing is withdrawn, and the person, who meant to take their
 * approval back, is told that it stands and what to do instead. Every platform's reaction path meets here.
 */
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import { gateDefinition } from './runbook-lookup.ts';
import { stopOrUndo } from './stop-or-undo.ts';

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
  const next = stopOrUndo(runbook, d, by, {
    started: 'the steps it let through have started',
    ran: 'the steps it let through have run',
  });
  if (next === undefined) return undefined;
  const title = gateDefinition(runbook, gateId)?.title ?? gateId;
  return new UserError(
    'GATE_CLOSED',
    `the ${title} gate already closed, so your approval of it stands (taking your ✅ off does not withdraw it): ${next}`,
  );
}
