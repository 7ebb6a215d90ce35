/**
 * The rule for a ✅ taken off, on every platform and message: it takes back only what that ✅ gave. An approval
 * (of a gate or a rollback) or a tick (of a checklist item or a monitoring task) remembers how it was given: a ✅
 * names the message it was put on (`onMessage`); a button or a command names none. So a ✅ taken off withdraws the
 * person's approval or tick only when it was given by a ✅ on that same message; an approval given by the Approve
 * button (or a command, or a ✅ on another message, or on another platform's message) stands, whatever ✅ the person
 * later adds there and takes off again, and whatever the order. What it gave while Preflight did not hear it is
 * withdrawn the same way (catch-up-reactions.ts reads the same `onMessage`).
 */
import { describeRollbackWait } from '../access/rollback-approval.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Deployment } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { monitoringTask } from './on-monitoring.ts';
import { gateDefinition } from './runbook-lookup.ts';
import { stopOrUndo } from './stop-or-undo.ts';

type Withdrawal = Extract<
  DeploymentEvent,
  { type: 'gate.withdraw' | 'rollback.withdraw' | 'checklist.untick' | 'task.untick' }
>;

/** What the person's counted approval or tick is, and how it was given, or undefined when none of theirs counts. */
function counted(
  runbook: Runbook,
  d: Deployment,
  e: Withdrawal,
): { what: string; onMessage?: string } | undefined {
  const given = (what: string, a: { readonly onMessage?: string }) => ({
    what,
    ...(a.onMessage !== undefined && { onMessage: a.onMessage }),
  });
  switch (e.type) {
    case 'gate.withdraw': {
      const mine = d.gates.find((g) => g.id === e.gate)?.approvals.find((a) => a.by === e.by);
      const title = gateDefinition(runbook, e.gate)?.title ?? e.gate;
      return mine && given(`your approval of the ${title} gate`, mine);
    }
    case 'rollback.withdraw': {
      const mine = d.rollback?.approvals.find((a) => a.by === e.by);
      return mine && given(`your approval of the rollback of ${d.id}`, mine);
    }
    case 'checklist.untick': {
      const run = d.checklist.find((i) => i.id === e.item);
      if (run?.status !== 'passed' || run.by !== e.by) return undefined;
      const title = runbook.checklist?.find((i) => i.id === e.item)?.title ?? e.item;
      return given(`your tick of "${title}"`, run);
    }
    case 'task.untick': {
      const mine = d.tasksDone?.find((t) => t.window === e.window && t.index === e.index && t.by === e.by);
      const title = monitoringTask(runbook, e.window, e.index)?.title ?? 'the task';
      return mine && given(`your tick of "${title}"`, mine);
    }
  }
}

/**
 * Whether the withdrawal `event` (a ✅ taken off message `event.onMessage`) leaves the person's approval or tick in
 * place because that ✅ did not give it: undefined when it takes it back (or finds none of theirs to take), else
 * what the person is told, privately: nothing (`''`) when it was given by their ✅ on another message (they were
 * told then that it was already counted) or the deployment is over, else that it stands, and what stops or undoes
 * the deployment instead.
 */
export function givenOtherwise(runbook: Runbook, d: Deployment, event: DeploymentEvent): string | undefined {
  if (
    event.type !== 'gate.withdraw' &&
    event.type !== 'rollback.withdraw' &&
    event.type !== 'checklist.untick' &&
    event.type !== 'task.untick'
  )
    return undefined;
  const mine = counted(runbook, d, event);
  if (!mine || mine.onMessage === event.onMessage) return undefined;
  if (mine.onMessage !== undefined) return '';
  return standsText(runbook, d, event, mine.what);
}

/** That the approval or tick stands, and what comes next: what the rollback waits for, or what stops the deployment. */
function standsText(runbook: Runbook, d: Deployment, event: Withdrawal, what: string): string {
  const waiting =
    event.type === 'rollback.withdraw' && d.rollback && !d.rollback.started ? d.rollback : undefined;
  // A checklist still open is stopped as any deployment not yet under way.
  const next = waiting
    ? `it stands, and ${describeRollbackWait(runbook, waiting)}.`
    : d.state === 'checklist'
      ? `it stands. To stop ${d.id}: \`/deploy abort ${d.id}\`.`
      : stopOrUndo(runbook, d, event.by, { started: 'it stands', ran: 'it stands' });
  if (next === undefined) return '';
  return `${what} was given with a button or a command, not by this ✅, so taking the ✅ off does not withdraw it: ${next}`;
}
