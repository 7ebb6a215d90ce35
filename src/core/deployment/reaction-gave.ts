/**
 * The rule for a ✅ taken off, on every platform and message: it takes back only what that ✅ gave. An approval
 * (of a gate or a rollback) or a tick (of a checklist item or a monitoring task) remembers how it was given: a ✅
 * names the message it was put on (`onMessage`); a button or a command names none. An approval given by the Approve
 * button (or a command, or a ✅ on another platform's message) stands, whatever ✅ the person later adds and takes
 * off again, and whatever the order. One given by a ✅ is held by it, and by the same person's ✅ on another message
 * asking for the same (a gate's reminder, or the gate's own message after a reminder's ✅ gave it) put there while
 * it counted (reaction-held.ts): it stands while one of those is on, and the last one taken off withdraws it. What
 * was taken off while Preflight did not hear it counts the same way (catch-up-reactions.ts reads the same ✅).
 */
import { describeRollbackWait } from '../access/rollback-approval.ts';
import type { Runbook } from '../runbook/schema.ts';
import { type Approval, type ChecklistRun, type Deployment, isFinal } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { monitoringTask } from './on-monitoring.ts';
import { type GivenByReaction, type HeldOn, heldWithout, reactionsHolding } from './reaction-held.ts';
import { gateDefinition } from './runbook-lookup.ts';
import { stopOrUndo } from './stop-or-undo.ts';

type Withdrawal = Extract<
  DeploymentEvent,
  { type: 'gate.withdraw' | 'rollback.withdraw' | 'checklist.untick' | 'task.untick' }
>;

type TaskDone = NonNullable<Deployment['tasksDone']>[number];

/** The person's counted approval or tick: what it is, in words, and the ✅ that hold it (reaction-held.ts). */
interface Counted {
  readonly what: string;
  /** Given by a ✅ (on any message), not by a button or a command. */
  readonly byReaction: boolean;
  readonly held: readonly HeldOn[];
  /** Another ✅ of theirs that holds it too, in words. */
  readonly elsewhere: string;
  /** The deployment without the ✅ on `message`, when another ✅ still holds it. */
  readonly without: (message: string) => Deployment | undefined;
}

/** How `mine` is counted, and how the deployment reads with it held by fewer ✅ (`put`). */
function countedAs<T extends GivenByReaction>(
  what: string,
  elsewhere: string,
  mine: T,
  put: (held: T) => Deployment,
): Counted {
  return {
    what,
    elsewhere,
    byReaction: mine.onMessage !== undefined,
    held: reactionsHolding(mine),
    without: (message) => {
      const held = heldWithout(mine, message);
      return held && put(held);
    },
  };
}

/** What the person's counted approval or tick is, and how it was given, or undefined when none of theirs counts. */
function counted(runbook: Runbook, d: Deployment, e: Withdrawal): Counted | undefined {
  switch (e.type) {
    case 'gate.withdraw': {
      const gate = d.gates.find((g) => g.id === e.gate);
      const mine = gate?.approvals.find((a) => a.by === e.by);
      const title = gateDefinition(runbook, e.gate)?.title ?? e.gate;
      const put = (held: Approval) => ({
        ...d,
        gates: d.gates.map((g) =>
          g === gate ? { ...g, approvals: g.approvals.map((a) => (a === mine ? held : a)) } : g,
        ),
      });
      const where = "another of the gate's messages (its own or a reminder)";
      return mine && countedAs(`your approval of the ${title} gate`, where, mine, put);
    }
    case 'rollback.withdraw': {
      const run = d.rollback;
      const mine = run?.approvals.find((a) => a.by === e.by);
      const put = (held: Approval) => ({
        ...d,
        ...(run && { rollback: { ...run, approvals: run.approvals.map((a) => (a === mine ? held : a)) } }),
      });
      const what = `your approval of the rollback of ${d.id}`;
      return mine && countedAs(what, 'another message of the rollback', mine, put);
    }
    case 'checklist.untick': {
      const run = d.checklist.find((i) => i.id === e.item);
      if (run?.status !== 'passed' || run.by !== e.by) return undefined;
      const title = runbook.checklist?.find((i) => i.id === e.item)?.title ?? e.item;
      const put = (held: ChecklistRun) => ({
        ...d,
        checklist: d.checklist.map((i) => (i === run ? held : i)),
      });
      return countedAs(`your tick of "${title}"`, 'another message of the item', run, put);
    }
    case 'task.untick': {
      const done = d.tasksDone ?? [];
      const mine = done.find((t) => t.window === e.window && t.index === e.index && t.by === e.by);
      const title = monitoringTask(runbook, e.window, e.index)?.title ?? 'the task';
      const put = (held: TaskDone) => ({ ...d, tasksDone: done.map((t) => (t === mine ? held : t)) });
      return mine && countedAs(`your tick of "${title}"`, 'another message of the task', mine, put);
    }
  }
}

const isWithdrawalEvent = (event: DeploymentEvent): event is Withdrawal =>
  event.type === 'gate.withdraw' ||
  event.type === 'rollback.withdraw' ||
  event.type === 'checklist.untick' ||
  event.type === 'task.untick';

/**
 * Whether the withdrawal `event` (a ✅ taken off message `event.onMessage`) leaves the person's approval or tick in
 * place because that ✅ did not give it: undefined when it takes it back (or finds none of theirs to take), else
 * what the person is told, privately: nothing (`''`) when it was given by their ✅ on another message (they were
 * told then that it was already counted) or the deployment is over, else that it stands, and what stops or undoes
 * the deployment instead.
 */
export function givenOtherwise(runbook: Runbook, d: Deployment, event: DeploymentEvent): string | undefined {
  if (!isWithdrawalEvent(event)) return undefined;
  const mine = counted(runbook, d, event);
  if (!mine || mine.held.some((h) => h.onMessage === event.onMessage)) return undefined;
  if (mine.byReaction) return '';
  return standsText(runbook, d, event, mine.what);
}

/**
 * The withdrawal `event` takes off one of several ✅ that hold the person's approval or tick (on the gate's message
 * and on a reminder of it, say): it stands while another of them is on. Undefined otherwise (or once the deployment
 * is over); else the deployment without that ✅, and what the person is told, privately.
 */
export function heldElsewhere(
  runbook: Runbook,
  d: Deployment,
  event: DeploymentEvent,
): { readonly deployment: Deployment; readonly reply: string } | undefined {
  if (!isWithdrawalEvent(event) || isFinal(d)) return undefined;
  const mine = counted(runbook, d, event);
  const kept = mine?.without(event.onMessage);
  if (!mine || !kept) return undefined;
  const undo = event.type === 'gate.withdraw' || event.type === 'rollback.withdraw' ? 'withdraw' : 'untick';
  return {
    deployment: kept,
    reply: `${mine.what} stands: your ✅ on ${mine.elsewhere} still gives it. To ${undo} it, take that ✅ off too.`,
  };
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
