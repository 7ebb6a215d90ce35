/**
 * A ✅ taken off a checklist item once the whole checklist has passed and the deployment moved on: nothing is
 * unticked, and the person, who meant to take their tick back, is told that it stands and what to do instead.
 * Every platform's reaction path meets here. (While the checklist is still open, the tick is taken back.)
 */
import { UserError } from '../errors.ts';
import type { Runbook } from '../runbook/schema.ts';
import { type Deployment, hasStartedAStep } from './deployment.ts';
import { stopOrUndo } from './stop-or-undo.ts';

/**
 * The answer to `by` taking their ✅ off checklist item `itemId` after the checklist passed: undefined where there
 * is nothing to say (an item they did not tick, a checklist not passed, a deployment over without going live).
 */
export function tickStands(
  runbook: Runbook,
  d: Deployment,
  itemId: string,
  by: string,
): UserError | undefined {
  const def = runbook.checklist?.find((i) => i.id === itemId);
  const run = d.checklist.find((i) => i.id === itemId);
  if (!def || run?.status !== 'passed' || run.by !== by) return undefined;
  // A checklist still open (or waiting for a decision on a failed check) has not passed: nothing to say.
  if (d.state === 'checklist' || d.checklist.some((i) => i.status !== 'passed')) return undefined;
  const next = stopOrUndo(runbook, d, by, {
    started: hasStartedAStep(d) ? 'its steps have started' : 'its steps have not started yet',
    ran: 'its steps have run',
  });
  if (next === undefined) return undefined;
  return new UserError(
    'ALREADY_DONE',
    `the checklist already passed, so your tick on "${def.title}" stands (taking your ✅ off does not untick it): ${next}`,
  );
}
