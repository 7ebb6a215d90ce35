/**
 * Who approves a rollback (four eyes), who it still waits for, and how they give their approval. Decided here, in
 * `core`, for every path: ✅ and the Approve rollback button on its message, and a `/rollback` (or 🔄) while it waits.
 */
import { countOf } from '../count-words.ts';
import type { RollbackRun } from '../deployment/deployment.ts';
import { resolvePeople } from '../runbook/people.ts';
import type { Runbook } from '../runbook/schema.ts';
import { permissionRefs } from './permissions.ts';

/** Who approves a rollback, how many, and whether the person who asked for it counts (four eyes). */
export interface RollbackApproval {
  readonly approvers: readonly string[];
  readonly refs: readonly string[];
  readonly required: number;
  readonly allowSelf: boolean;
}

/**
 * The runbook's rollback approval. Without an `approval` block, asking is enough for anyone in
 * `permissions.rollback`; with one, it works like a gate: `required` approvals, the asker's own counting only
 * with `allow_self: true`.
 */
export function rollbackApproval(runbook: Runbook): RollbackApproval {
  const approval = runbook.rollback?.approval;
  const refs = approval?.approvers ?? permissionRefs(runbook, 'rollback');
  return {
    approvers: resolvePeople(runbook, refs),
    refs,
    required: approval?.required ?? 1,
    allowSelf: approval === undefined || approval.allow_self === true,
  };
}

/**
 * The people the waiting rollback can still take an approval from: approvers who have not approved, not its asker
 * unless `allow_self`.
 */
export function rollbackApproversLeft(runbook: Runbook, run: RollbackRun): string[] {
  const approval = rollbackApproval(runbook);
  return approval.approvers.filter(
    (p) => (approval.allowSelf || p !== run.by) && !run.approvals.some((a) => a.by === p),
  );
}

const anyOf = new Intl.ListFormat('en', { type: 'disjunction' });
const allOf = new Intl.ListFormat('en', { type: 'conjunction' });

/** Who a rollback waiting for approval waits for, and how they give it. */
export function describeRollbackWait(runbook: Runbook, run: RollbackRun): string {
  const missing = Math.max(1, rollbackApproval(runbook).required - run.approvals.length);
  const more = countOf(missing, 'more approval', 'more approvals');
  const left = rollbackApproversLeft(runbook, run).map((p) => runbook.people[p]?.name ?? p);
  if (left.length === 0)
    return `it waits for ${more}, and nobody else may give one (rollback.approval.approvers)`;
  if (left.length < missing)
    return `it waits for ${more}, and only ${allOf.format(left)} may still give one (rollback.approval.approvers)`;
  // One approval: any of them; as many as are left: each of them; fewer: that many of them.
  const from =
    missing === 1
      ? anyOf.format(left)
      : missing === left.length
        ? allOf.format(left)
        : `${missing} of ${anyOf.format(left)}`;
  return `it waits for ${more}, from ${from}: the Approve rollback button or ✅ on the rollback message in its thread, or their own /rollback`;
}
