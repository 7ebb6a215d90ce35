/** Rollback: asked for by a person or a failing step; runs the runbook's rollback steps once approved. */

import { describeRollbackWait, rollbackApproval } from '../access/rollback-approval.ts';
import { plainLiterals } from '../chat/outside-text.ts';
import { linkThread, mention } from '../chat-text.ts';
import { UserError } from '../errors.ts';
import { advance } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import { type Deployment, isFinal, type RollbackRun, type StepRun } from './deployment.ts';
import { type DeploymentEvent, SYSTEM_ACTOR } from './events.ts';
import { cancelSteps } from './finish.ts';
import { alsoHeldOn } from './reaction-held.ts';
import { rollbackApprovedText, rollbackAskedText } from './reply-texts.ts';
import { awaitsRollbackApproval, rollbackPlanOf } from './rollback-offer.ts';

/**
 * A person's `/rollback` (🔄, Roll back) while a rollback waits for approval asks for that rollback to run: it is
 * their approval of it, decided as any approval (four eyes: the asker's own does not count unless `allow_self`),
 * and a refusal says who it waits for (nothing else would move it on).
 */
export function asRollbackApproval(d: Deployment, event: DeploymentEvent): DeploymentEvent {
  if (event.type !== 'rollback.request' || event.by === SYSTEM_ACTOR) return event;
  if (!awaitsRollbackApproval(d)) return event;
  return { type: 'rollback.approve', by: event.by };
}

/** Who asked, in a note: the person, or Preflight for a rollback of its own (on_failure: rollback). */
const asker = (by: string): string => (by === SYSTEM_ACTOR ? 'Preflight' : mention(by));

/** The note in the incident thread once the rollback runs: who approved it, who asked, what it goes back to. */
function startedNote(c: Change, run: RollbackRun): string {
  const d = c.deployment;
  const what = `${d.id}: rolling back ${d.service}${d.previousVersion ? ` to ${d.previousVersion}` : ''}.`;
  const approver = run.approvals.at(-1)?.by;
  if (approver !== undefined && approver !== run.by)
    return `🔄 ${mention(approver)} approved the rollback ${asker(run.by)} asked for: ${what}`;
  return `🔄 ${asker(run.by)}: ${what}`;
}

function begin(c: Change, run: RollbackRun): void {
  c.emit({ type: 'note-incident', key: `rollback-started:${run.at}`, text: startedNote(c, run) });
  c.set({ rollback: { ...run, started: true }, state: 'rolling_back' });
  c.unset('decision');
  if (isFinal({ state: run.from }) || run.from === 'monitoring') c.lock = 'acquire';
  c.record('rollback.started', run.by, { reason: run.reason, approvals: run.approvals.map((a) => a.by) });
  c.refresh({ kind: 'rollback', at: c.deployment.rollback?.at ?? c.now });
  advance(c);
}

/** Starts (or asks approval for) the rollback. `by` is a person, or `preflight` for on_failure: rollback. */
export function startRollback(c: Change, by: string, reason: string): TransitionResult | undefined {
  const plan = rollbackPlanOf(c.runbook, c.deployment);
  if (plan instanceof UserError) return refuse(plan);
  const steps: StepRun[] = plan.steps.map((s) => ({ id: s.id, status: 'pending', attempt: 0 }));
  const approval = rollbackApproval(c.runbook);
  // Four eyes: the asker's own approval counts only when the runbook allows it (or asks for no approval).
  const counts = by !== SYSTEM_ACTOR && approval.allowSelf && approval.approvers.includes(by);
  const approvals = counts ? [{ by, at: c.now }] : [];
  const required = by === SYSTEM_ACTOR ? 0 : approval.required;
  const run: RollbackRun = {
    reason,
    by,
    at: c.now,
    started: false,
    from: c.deployment.state,
    steps,
    approvals,
  };
  // A step waiting for its time or its retry never starts now; one running is stopped, and the rollback waits for it.
  cancelSteps(c, `rollback: ${plainLiterals(reason)}`);
  c.record('rollback.requested', by, { reason });
  // A pause holds the deployment's steps, not their undoing (nothing resumes a rollback). A deployment that had ended
  // (an earlier rollback incomplete, a failure) is under way again: how it ended stays in its report and audit log.
  c.set({ rollback: run, state: 'rolling_back', paused: false });
  c.unset('decision', 'pausedAt', 'outcome', 'finishedAt');
  c.post({ kind: 'rollback', at: c.now });
  if (approvals.length >= required) {
    begin(c, run);
    return undefined;
  }
  c.reply = rollbackAskedText(approvals.length, required, counts, describeRollbackWait(c.runbook, run));
  // The people paged for the deployment's incident are the ones to approve it: they learn it waits for them there.
  c.emit({
    type: 'note-incident',
    key: `rollback-asked:${run.at}`,
    text: `🔄 ${asker(by)} asked to roll back ${c.deployment.id} (${reason}); ${describeRollbackWait(c.runbook, run)}. Its thread: ${linkThread(c.runbook.channels.deploy, c.deployment.id, 'status')}.`,
  });
  return undefined;
}

/**
 * The message of an earlier rollback of the deployment (asked again after a rollback step failed) answers nothing
 * now: its approvers saw what that one was asked for, not this one.
 */
function earlierPrompt(c: Change, run: RollbackRun, prompt: number | undefined): UserError | undefined {
  if (prompt === undefined || prompt === run.at) return undefined;
  return new UserError(
    'WRONG_STATE',
    `this is the message of an earlier rollback of ${c.deployment.id}, so your approval was not counted for the one asked since; ${describeRollbackWait(c.runbook, run)}`,
  );
}

/**
 * A ✅ on the rollback prompt (`onMessage`: the message its reaction was on, so taking it away withdraws it;
 * `prompt`: the rollback that message is about).
 */
export function approveRollback(
  c: Change,
  by: string,
  onMessage?: string,
  prompt?: number,
): TransitionResult | undefined {
  const run = c.deployment.rollback;
  if (!run || run.started) return refuse(new UserError('WRONG_STATE', 'the rollback is already running'));
  const earlier = earlierPrompt(c, run, prompt);
  if (earlier) return refuse(earlier);
  // Who may approve (the approvers, not the asker unless allow_self) is decided before this, in authorizeEvent.
  if (run.approvals.some((a) => a.by === by)) {
    // A ✅ on another message of this rollback holds the approval too (reaction-held.ts).
    const approvals = run.approvals.map((a) => (a.by === by ? (alsoHeldOn(a, onMessage, c.now) ?? a) : a));
    if (approvals.some((a, i) => a !== run.approvals[i])) c.set({ rollback: { ...run, approvals } });
    c.reply = `you approved this rollback already; ${describeRollbackWait(c.runbook, run)}`;
    return undefined;
  }
  const next = {
    ...run,
    approvals: [...run.approvals, { by, at: c.now, ...(onMessage !== undefined && { onMessage }) }],
  };
  c.set({ rollback: next });
  c.record('rollback.approval', by, { count: next.approvals.length });
  const { required } = rollbackApproval(c.runbook);
  c.reply = rollbackApprovedText(next.approvals.length, required);
  if (next.approvals.length >= required) begin(c, next);
  else c.refresh({ kind: 'rollback', at: c.deployment.rollback?.at ?? c.now });
  return undefined;
}

/**
 * A ✅ taken off the rollback prompt before the rollback ran, as off a gate: that person's approval no longer counts,
 * and the prompt asks for it again. Once the rollback runs, or when they had not approved, nothing changes.
 */
export function withdrawRollbackApproval(
  c: Change,
  by: string,
  prompt?: number,
): TransitionResult | undefined {
  const run = c.deployment.rollback;
  // A ✅ taken off an earlier rollback's message takes nothing from the one asked since.
  if (!run || run.started || earlierPrompt(c, run, prompt) || !run.approvals.some((a) => a.by === by))
    return refuse(new UserError('WRONG_STATE', 'no approval of yours waits on this rollback'));
  const next = {
    ...run,
    approvals: run.approvals.filter((a) => a.by !== by),
    withdrawn: { ...run.withdrawn, [by]: c.now },
  };
  c.set({ rollback: next });
  c.record('rollback.approval_withdrawn', by, { count: next.approvals.length });
  c.refresh({ kind: 'rollback', at: run.at });
  c.note(
    `withdraw-rollback:${by}:${c.now}`,
    `${mention(by)} withdrew their approval of the rollback of ${c.deployment.id}; ${describeRollbackWait(c.runbook, next)}.`,
  );
  return undefined;
}
