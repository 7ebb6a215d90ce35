/**
 * The answer to a person's request handled a second time (its first handling committed it, then died or could not
 * answer): what the first handling did, as it would have said it, rather than what a second click would hear
 * ("already counted", "already ticked"), which would tell the person their click was a repeat of an earlier one.
 */
import { describeRollbackWait, rollbackApproval } from '../access/rollback-approval.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import type { AuditEntry } from './effects.ts';
import type { DeploymentEvent } from './events.ts';
import { monitoringTask } from './on-monitoring.ts';
import {
  abortedText,
  approvedGateText,
  checklistTickedText,
  decidedText,
  decisionSubject,
  hasOffsetSteps,
  PAUSED_TEXT,
  rejectedGateText,
  resumedText,
  rollbackApprovedText,
  rollbackAskedText,
  taskTickedText,
  withdrawnText,
} from './reply-texts.ts';
import { gateDefinition } from './runbook-lookup.ts';

/** The events whose repeated answer reads the audit log (`history`). */
export const needsHistory = (event: DeploymentEvent): boolean =>
  event.type === 'resume' || event.type === 'gate.withdraw' || event.type === 'decide';

/**
 * What `event`, committed before, did to `deployment` (as it stands now), in the words of its first answer;
 * `history` is the deployment's audit log (a resume's answer says how long it was paused). Undefined for an event
 * whose first handling had no answer.
 */
export function repeatedReply(
  runbook: Runbook,
  deployment: Deployment,
  event: DeploymentEvent,
  history: readonly AuditEntry[] = [],
): string | undefined {
  const last = (type: string, by: string) => history.findLast((r) => r.type === type && r.actor === by);
  switch (event.type) {
    case 'gate.approve': {
      const gate = deployment.gates.find((g) => g.id === event.gate);
      const def = gateDefinition(runbook, event.gate);
      const title = def?.title ?? event.gate;
      // Approvals are kept in the order they came: this one's place is the count it made.
      const place = gate?.approvals.findIndex((a) => a.by === event.by) ?? -1;
      if (place < 0) return `your approval of the ${title} gate was counted, and has been withdrawn since`;
      // A ✅ on another of the gate's messages than the one that gave it was answered so (reaction-held.ts).
      const given = gate?.approvals[place]?.onMessage;
      if (given !== undefined && event.onMessage !== undefined && given !== event.onMessage)
        return `your approval of the ${title} gate is already counted`;
      return approvedGateText(title, place + 1, def?.required ?? 1);
    }
    case 'gate.reject':
      return rejectedGateText(gateDefinition(runbook, event.gate)?.title ?? event.gate, event.reason);
    case 'gate.withdraw': {
      // Only a withdrawal from an approved gate is answered: its record says so (a `gate.reopened` at the same time,
      // or the gate still approved with the withdrawal marked).
      const gate = deployment.gates.find((g) => g.id === event.gate);
      const def = gateDefinition(runbook, event.gate);
      const at = gate?.withdrawn?.[event.by];
      if (!gate || at === undefined) return undefined;
      const required = def?.required ?? 1;
      const reopened = last('gate.reopened', event.by);
      const count =
        reopened?.detail.gate === gate.id && gate.reopenedAt === at
          ? Number(reopened.detail.count)
          : gate.status === 'approved' && gate.closedAt !== undefined && gate.closedAt < at
            ? gate.approvals.length
            : undefined;
      return count === undefined ? undefined : withdrawnText(def?.title ?? event.gate, count, required);
    }
    case 'checklist.tick': {
      const def = runbook.checklist?.find((i) => i.id === event.item);
      return checklistTickedText(def?.title ?? event.item, runbook.people[event.by]?.name ?? event.by);
    }
    case 'task.tick': {
      const task = monitoringTask(runbook, event.window, event.index);
      return task ? taskTickedText(task.title, runbook.people[event.by]?.name ?? event.by) : undefined;
    }
    case 'abort':
      return abortedText(event.emergency, runbook);
    case 'pause':
      return PAUSED_TEXT;
    case 'resume':
      return resumedText(
        Number(last('deployment.resumed', event.by)?.detail.pausedMs ?? 0),
        hasOffsetSteps(runbook),
      );
    case 'decide': {
      const made = last('decision.made', event.by);
      if (!made) return undefined;
      const phase = made.detail.phase === 'rollback' ? 'rollback' : 'deploy';
      return decidedText(
        deployment.id,
        event.choice,
        decisionSubject(runbook, phase, String(made.detail.step)),
      );
    }
    case 'rollback.request': {
      const run = deployment.rollback;
      if (!run || run.by !== event.by) return undefined;
      // The asker's own approval is the first when it counted; a rollback that needed none began at once, unanswered.
      const counts = run.approvals[0]?.by === run.by;
      const required = rollbackApproval(runbook).required;
      const count = counts ? 1 : 0;
      return count >= required
        ? undefined
        : rollbackAskedText(count, required, counts, describeRollbackWait(runbook, run));
    }
    case 'rollback.approve': {
      const place = deployment.rollback?.approvals.findIndex((a) => a.by === event.by) ?? -1;
      return place < 0 ? undefined : rollbackApprovedText(place + 1, rollbackApproval(runbook).required);
    }
    default:
      return undefined;
  }
}
