/** The rollback message: who asked and why, approvals still needed, and each step's progress. */
import { type ChatMessage, countOf, rollbackApproval, rollbackApproversLeft } from '../../core/index.ts';
import { clock, mentions, type RenderContext, STEP_ICON } from './format.ts';

/** Renders the rollback prompt or progress. */
export function renderRollback(ctx: RenderContext): ChatMessage {
  const { deployment: d, runbook } = ctx;
  const rollback = d.rollback;
  if (!rollback) return { text: 'No rollback was asked for.' };
  const by = rollback.by === 'preflight' ? 'Preflight' : `@{${rollback.by}}`;
  const lines = [
    `↩️ *Rollback* of ${d.id} asked by ${by} at ${clock(rollback.at, runbook.timezone)}: ${rollback.reason}`,
  ];
  const back = d.previousVersion ? ` back to ${d.previousVersion}` : '';
  if (!rollback.started) {
    const approval = rollbackApproval(runbook);
    // Four eyes: the asker is not asked, unless the runbook lets their own approval count.
    const approvers = rollbackApproversLeft(runbook, rollback);
    const self = approval.allowSelf ? '' : ` (not @{${rollback.by}}, who asked)`;
    lines.push(
      `Needs ${countOf(approval.required - rollback.approvals.length, 'more approval', 'more approvals')} from ${mentions(approvers)}${self}: react ✅ or use the button.`,
    );
    return {
      text: lines.join('\n'),
      tone: 'warning',
      buttons: [{ action: 'rollback.approve', label: 'Approve rollback', value: d.id, style: 'danger' }],
    };
  }
  if (rollback.approvals.length > 0)
    lines.push(
      `Approved by ${rollback.approvals.map((a) => `${runbook.people[a.by]?.name ?? a.by} at ${clock(a.at, runbook.timezone)}`).join(', ')}.`,
    );
  lines.push(`Rolling ${d.service}${back}:`);
  for (const step of rollback.steps) {
    const def = runbook.rollback?.steps.find((s) => s.id === step.id);
    lines.push(`${STEP_ICON[step.status]} ${def?.title ?? step.id}`);
  }
  if (d.state === 'rolled_back')
    lines.push(`Rolled back${d.previousVersion ? `: ${d.previousVersion} serves again` : ''}.`);
  else if (d.state === 'rollback_failed') lines.push('The rollback failed: see the report in this thread.');
  else if (d.state === 'needs_decision')
    lines.push('Waiting for a decision: see the question in this thread.');
  const tone = d.state === 'rolled_back' ? 'good' : d.state === 'rollback_failed' ? 'bad' : 'warning';
  return { text: lines.join('\n'), tone };
}
