/**
 * The answers to a person's action, shared by the transition that makes them and by repeatedReply (a request
 * handled again answers in the same words).
 */
import { literal, quoted } from '../chat/outside-text.ts';
import { formatDuration } from '../runbook/duration.ts';
import type { Runbook } from '../runbook/schema.ts';
import type { Phase } from './deployment.ts';
import { stepDefinition } from './runbook-lookup.ts';

export const approvedGateText = (title: string, count: number, required: number): string =>
  count >= required
    ? `${title} gate approved (${count} of ${required})`
    : `approval counted for the ${title} gate: ${count} of ${required}`;

export const rejectedGateText = (title: string, reason: string | undefined): string =>
  `you rejected the ${title} gate${reason === undefined ? '' : ` (${literal(reason)})`}: the deployment has stopped, and its thread says so`;

export const withdrawnText = (title: string, count: number, required: number): string =>
  count < required
    ? `approval withdrawn: the ${title} gate is open again (${count} of ${required})`
    : `approval withdrawn (${count} of ${required} remain; the ${title} gate stays approved)`;

export const checklistTickedText = (title: string, name: string): string => `ticked "${title}" for ${name}`;

/** An answer to the person, not a post: their name, never a mention (answers are not expanded as posts are). */
export const taskTickedText = (title: string, name: string): string => `ticked "${title}" for ${name}`;

export const taskAlreadyTickedText = (title: string, name: string): string =>
  `"${title}" is already ticked, by ${name}`;

/** `emergency`: asked with --emergency; `runbook`: whose `emergency.stop` runs then (one without it runs none). */
export const abortedText = (emergency: boolean, runbook: Runbook, underWay?: string): string => {
  if (!emergency) return 'deployment aborted';
  if (runbook.emergency?.stop && underWay !== undefined)
    return `deployment aborted, running steps killed; the emergency stop command is not started a second time: one is already under way (${underWay})`;
  if (runbook.emergency?.stop) return 'emergency stop: running steps killed, emergency stop command started';
  return `deployment aborted, running steps killed; no emergency stop was run: the ${runbook.service} runbook has none (emergency.stop)`;
};

export const PAUSED_TEXT = 'paused: a running step finishes, no new step starts until /deploy resume';

/** Whether the runbook times steps as offsets from the run's start (a pause moves them). */
export const hasOffsetSteps = (runbook: Runbook): boolean =>
  runbook.steps.some((s) => s.at?.kind === 'offset');

/** After `pausedMs` paused; `offsets`: the runbook times steps as offsets from the run's start. */
export function resumedText(pausedMs: number, offsets: boolean): string {
  if (pausedMs < 1000 || !offsets) return 'resumed';
  const paused = formatDuration(Math.round(pausedMs / 1000) * 1000);
  return `resumed after ${paused} paused: the remaining steps keep their spacing (their +offset times move ${paused} later)`;
}

/** `wait`: who the rollback waits for and how they approve (describeRollbackWait). */
export const rollbackAskedText = (count: number, required: number, counts: boolean, wait: string): string =>
  `rollback asked; it runs once approved (${count} of ${required})${counts ? '' : ': your own approval does not count'}; ${wait}`;

export const rollbackApprovedText = (count: number, required: number): string =>
  `your approval of the rollback is counted (${count} of ${required})`;

/** A decision's answer, as `/deploy decide` says it: which deployment, what was chosen, for what. */
export const decidedText = (id: string, choice: string, what: string): string =>
  `${id}: decided ${choice} (${what}).`;

/** What a decision was about, in words: `step "Migrate"`, or the checklist or the verification. */
export function decisionSubject(runbook: Runbook, phase: Phase, step: string): string {
  if (step === 'checklist' || step === 'verification') return `the ${step}`;
  return `step ${quoted(stepDefinition(runbook, phase, step)?.title ?? step)}`;
}
