/** Rollback: asked for by a person or a failing step; runs the runbook's rollback steps once approved. */
import { UserError } from '../errors.ts';
import { describePeople, resolvePeople } from '../runbook/people.ts';
import { advance } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import { isFinal, type RollbackRun, type StepRun } from './deployment.ts';
import { SYSTEM_ACTOR } from './events.ts';

/** People whose approval counts for a rollback. */
export function rollbackApprovers(c: Change): string[] {
  const approval = c.runbook.rollback?.approval;
  return resolvePeople(c.runbook, approval?.approvers ?? c.runbook.permissions.rollback);
}

function begin(c: Change, run: RollbackRun): void {
  c.set({ rollback: { ...run, started: true }, state: 'rolling_back' });
  c.unset('decision');
  if (isFinal({ state: run.from }) || run.from === 'monitoring') c.lock = 'acquire';
  c.record('rollback.started', run.by, { reason: run.reason, approvals: run.approvals.map((a) => a.by) });
  c.refresh({ kind: 'rollback', at: c.deployment.rollback?.at ?? c.now });
  advance(c);
}

/** Starts (or asks approval for) the rollback. `by` is a person, or `preflight` for on_failure: rollback. */
export function startRollback(c: Change, by: string, reason: string): TransitionResult | undefined {
  const plan = c.runbook.rollback;
  if (!plan)
    return refuse(
      new UserError('WRONG_STATE', 'this runbook has no rollback plan; fix forward, or /deploy abort'),
    );
  const steps: StepRun[] = plan.steps.map((s) => ({ id: s.id, status: 'pending', attempt: 0 }));
  const approvers = rollbackApprovers(c);
  const approvals = by !== SYSTEM_ACTOR && approvers.includes(by) ? [{ by, at: c.now }] : [];
  const required = by === SYSTEM_ACTOR ? 0 : (plan.approval?.required ?? 1);
  const run: RollbackRun = {
    reason,
    by,
    at: c.now,
    started: false,
    from: c.deployment.state,
    steps,
    approvals,
  };
  c.emit({ type: 'cancel-steps', reason: `rollback: ${reason}` });
  c.record('rollback.requested', by, { reason });
  c.set({ rollback: run, state: 'rolling_back' });
  c.unset('decision');
  c.post({ kind: 'rollback', at: c.now });
  if (approvals.length >= required) begin(c, run);
  return undefined;
}

/** A ✅ on the rollback prompt. */
export function approveRollback(c: Change, by: string): TransitionResult | undefined {
  const run = c.deployment.rollback;
  if (!run || run.started) return refuse(new UserError('WRONG_STATE', 'the rollback is already running'));
  const approvers = rollbackApprovers(c);
  if (!approvers.includes(by)) {
    const who = describePeople(
      c.runbook,
      c.runbook.rollback?.approval?.approvers ?? c.runbook.permissions.rollback,
    );
    return refuse(new UserError('NOT_AN_APPROVER', `only ${who} can approve the rollback`));
  }
  if (run.approvals.some((a) => a.by === by)) return undefined;
  const next = { ...run, approvals: [...run.approvals, { by, at: c.now }] };
  c.set({ rollback: next });
  c.record('rollback.approval', by, { count: next.approvals.length });
  c.reply = `rollback approval counted for ${c.runbook.people[by]?.name ?? by}`;
  if (next.approvals.length >= (c.runbook.rollback?.approval?.required ?? 1)) begin(c, next);
  else c.refresh({ kind: 'rollback', at: c.deployment.rollback?.at ?? c.now });
  return undefined;
}
