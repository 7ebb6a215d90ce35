/** Checklist events: automated results, and ✅ ticks by an item's owners. */
import { literal, quoted } from '../chat/outside-text.ts';
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import { advance } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import type { Deployment } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { alsoHeldOn } from './reaction-held.ts';
import { checklistTickedText, taskAlreadyTickedText } from './reply-texts.ts';

type ChecklistEvent = Extract<DeploymentEvent, { type: `checklist.${string}` }>;

/** Applies a checklist event. */
export function onChecklist(c: Change, event: ChecklistEvent): TransitionResult | undefined {
  const def = c.runbook.checklist?.find((i) => i.id === event.item);
  const run = c.deployment.checklist.find((i) => i.id === event.item);
  if (!def || !run)
    return refuse(new UserError('BAD_COMMAND', `there is no checklist item ${quoted(event.item)}`));
  const manual = def.run === undefined && def.argv === undefined;
  switch (event.type) {
    case 'checklist.result': {
      if (manual || run.status === 'passed') return undefined;
      c.updateChecklist(run.id, {
        status: event.passed ? 'passed' : 'failed',
        at: c.now,
        detail: event.detail,
        ...(event.outputTail !== undefined && { outputTail: event.outputTail }),
      });
      c.record('checklist.result', 'preflight', { item: run.id, passed: event.passed, detail: event.detail });
      c.refresh({ kind: 'checklist' });
      if (!event.passed) {
        const tail = event.outputTail ? `\n${literal(event.outputTail)}` : '';
        c.note(
          `checklist-failed:${run.id}:${c.now}`,
          `Checklist check failed: ${def.title}: ${literal(event.detail)}${tail}`,
        );
      }
      break;
    }
    case 'checklist.tick': {
      if (!manual)
        return refuse(
          new UserError('BAD_COMMAND', `"${def.title}" is checked automatically; it cannot be ticked`),
        );
      if (run.status === 'passed') {
        // Its ticker's ✅ on another message of the item holds the tick too (reaction-held.ts).
        const held = run.by === event.by ? alsoHeldOn(run, event.onMessage, c.now) : undefined;
        if (held) c.updateChecklist(run.id, held);
        c.reply = `"${def.title}" is already ticked`;
        return undefined;
      }
      c.updateChecklist(
        run.id,
        {
          status: 'passed',
          by: event.by,
          at: c.now,
          ...(event.onMessage !== undefined && { onMessage: event.onMessage }),
        },
        ['onMessage', 'heldOn'],
      );
      c.record('checklist.ticked', event.by, { item: run.id });
      c.refresh({ kind: 'checklist-item', item: run.id });
      c.refresh({ kind: 'checklist' });
      c.reply = checklistTickedText(def.title, c.runbook.people[event.by]?.name ?? event.by);
      break;
    }
    case 'checklist.untick': {
      if (manual && run.status === 'passed' && run.by === event.by) {
        c.updateChecklist(run.id, { status: 'pending', at: c.now }, ['onMessage', 'heldOn']);
        c.record('checklist.unticked', event.by, { item: run.id });
        c.refresh({ kind: 'checklist-item', item: run.id });
        c.refresh({ kind: 'checklist' });
      }
      return undefined;
    }
  }
  advance(c);
  return undefined;
}

/**
 * A tick of a manual item that is ticked already, after the checklist passed (a ✅ put back after it was taken off):
 * it asks for what is so, so it is answered as such rather than refused as a request the deployment cannot take.
 */
export function repeatedTick(runbook: Runbook, d: Deployment, event: DeploymentEvent): string | undefined {
  if (event.type !== 'checklist.tick') return undefined;
  const def = runbook.checklist?.find((i) => i.id === event.item);
  const run = d.checklist.find((i) => i.id === event.item);
  if (!def || def.run !== undefined || def.argv !== undefined || run?.status !== 'passed') return undefined;
  return taskAlreadyTickedText(def.title, runbook.people[run.by ?? '']?.name ?? run.by ?? 'its owner');
}
