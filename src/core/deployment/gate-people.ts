/** Who a gate asks: its named approvers (the runbook's `gates.<id>.approvers`) whose approval would still count. */
import { resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment, GateRun } from './deployment.ts';
import { gateDefinition } from './runbook-lookup.ts';

/**
 * The gate's approvers who have not approved it, leaving out the requester unless `allow_self` (their approval
 * cannot count) and `without` (who just acted). Reminders and notes about a gate name these people and nobody
 * else: someone who cannot approve the gate is never asked to.
 */
export function gateWaitingFor(
  runbook: Runbook,
  deployment: Deployment,
  gate: GateRun,
  without?: string,
): string[] {
  const def = gateDefinition(runbook, gate.id);
  return resolvePeople(runbook, def?.approvers).filter(
    (p) =>
      p !== without &&
      (def?.allow_self === true || p !== deployment.requestedBy) &&
      !gate.approvals.some((a) => a.by === p),
  );
}
