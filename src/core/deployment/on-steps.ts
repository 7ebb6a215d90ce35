/** Step events: a step starts, finishes, or was interrupted when its worker died. */
import { literal } from '../chat/outside-text.ts';
import { UserError } from '../errors.ts';
import { formatDuration } from '../runbook/duration.ts';
import { describePeople } from '../runbook/people.ts';
import { formatClock } from '../runbook/time-of-day.ts';
import { windowState } from '../schedule/window.ts';
import { advance } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import { findStep, isFinal, type Phase, type StepRun } from './deployment.ts';
import type { DeploymentEvent, StepStartBy, StepStartOffer } from './events.ts';
import { fail, postHeldReport } from './finish.ts';
import { startRollback } from './rollback.ts';
import { canRollBack } from './rollback-offer.ts';
import { maxAttempts, retryDelay, stepDefinition, windowOverrideGate } from './runbook-lookup.ts';

type StepEvent = Extract<DeploymentEvent, { type: `step.${string}` }>;

/** `allowed`: the attempts this retry counts against (an interrupted idempotent step gets one more than its retries). */
function retry(c: Change, phase: Phase, step: StepRun, why: string, allowed?: number): void {
  const def = stepDefinition(c.runbook, phase, step.id);
  const delay = retryDelay(def, step.attempt);
  const at = c.now + delay;
  c.updateStep(phase, step.id, { status: 'waiting', attempt: step.attempt + 1, notBefore: at });
  c.emit({ type: 'run-step', phase, step: step.id, attempt: step.attempt + 1, at });
  c.record('step.retry', 'preflight', { phase, step: step.id, attempt: step.attempt + 1, why });
  c.note(
    `retry:${phase}:${step.id}:${step.attempt}`,
    `🔁 ${phase === 'deploy' ? 'Step' : 'Rollback step'} *${def?.title ?? step.id}* ${why}; retrying in ${formatDuration(delay)} (attempt ${step.attempt + 1} of ${allowed ?? maxAttempts(def)}).`,
  );
}

function askDecision(
  c: Change,
  phase: Phase,
  step: StepRun,
  reason: string,
  options: readonly string[],
  window?: true,
): void {
  c.set({
    state: 'needs_decision',
    decision: { phase, step: step.id, reason, askedAt: c.now, options, ...(window && { window }) },
  });
  c.record('decision.asked', 'preflight', { phase, step: step.id, reason, options });
  c.post({ kind: 'decision', at: c.now });
}

function afterFailure(c: Change, phase: Phase, step: StepRun, why: string): void {
  const def = stepDefinition(c.runbook, phase, step.id);
  if (def?.idempotent === true && step.attempt < maxAttempts(def)) {
    retry(c, phase, step, why);
    return;
  }
  const title = def?.title ?? step.id;
  if (phase === 'rollback') {
    if (def && 'optional' in def && def.optional === true) {
      advance(c);
      return;
    }
    askDecision(c, phase, step, `rollback step "${title}" ${why}`, ['retry', 'skip']);
    return;
  }
  const onFailure = def && 'on_failure' in def ? (def.on_failure ?? 'ask') : 'ask';
  const reason = `step "${title}" ${why}`;
  if (onFailure === 'stop') fail(c, reason, 'preflight');
  else if (onFailure === 'rollback') startRollback(c, 'preflight', reason);
  else askDecision(c, phase, step, reason, ['retry', 'skip', 'rollback']);
}

/**
 * A deployment step comes due after the deployment window has closed (a late approval, a pause, the bot down): it
 * is not started on Preflight's own; people decide. A deployment let through its window's override gate, or one
 * whose people already chose to go on outside it, is not asked again.
 */
function closedWindow(c: Change, phase: Phase): string | undefined {
  const { window } = c.runbook;
  const d = c.deployment;
  if (phase !== 'deploy' || !window || d.extraGates.length > 0 || d.windowWaived) return undefined;
  if (windowState(c.runbook, c.now).open) return undefined;
  return `${formatClock(window.start)}–${formatClock(window.end)} ${c.runbook.timezone}`;
}

/** Who may choose to run outside the window, where the runbook names its override gate's approvers for it. */
function windowRunners(c: Change): string {
  const gate = windowOverrideGate(c.runbook);
  if (!gate) return '';
  return ` (for the ${gate.def.title ?? gate.id} gate's approvers: ${describePeople(c.runbook, gate.def.approvers)})`;
}

function startStep(c: Change, phase: Phase, step: StepRun, by: StepStartBy): void {
  if (step.status !== 'waiting' || c.deployment.paused) return;
  const closed = closedWindow(c, phase);
  if (closed !== undefined) {
    const title = stepDefinition(c.runbook, phase, step.id)?.title ?? step.id;
    // Back to pending, with the attempt it had before it was scheduled: `run` schedules the same attempt again.
    c.updateStep(phase, step.id, { status: 'pending', attempt: step.attempt - 1 });
    // Rolling back is a choice once a step has started: before that, nothing was deployed to roll back.
    const rollback = canRollBack(c.runbook, c.deployment);
    const reason = `the deployment window (${closed}) closed before step "${title}" could start. Run the rest outside the window${windowRunners(c)}${rollback ? ', roll back,' : ''} or /deploy abort`;
    askDecision(c, phase, step, reason, rollback ? ['run', 'rollback'] : ['run'], true);
    return;
  }
  const late = Math.max(0, c.now - (step.notBefore ?? c.now));
  c.updateStep(phase, step.id, {
    status: 'running',
    runId: by.runId,
    startedAt: c.now,
    lateMs: late,
    ...(by.pid !== undefined && { pid: by.pid }),
    ...(by.host !== undefined && { host: by.host }),
  });
  if (phase === 'deploy') c.set({ state: 'running' });
  c.record('step.started', 'preflight', { phase, step: step.id, attempt: step.attempt, lateMs: late });
}

/**
 * When a finish asks for exactly one step, due now, its worker starts it in the same commit: the step's job is
 * taken back, since the worker that committed runs it. A later or second step, or none, is left to its job.
 */
function startNextAtOnce(c: Change, by: StepStartBy): void {
  const runs = c.effects.filter((e) => e.type === 'run-step');
  const run = runs[0];
  if (runs.length !== 1 || run?.type !== 'run-step' || run.at > c.now) return;
  const next = findStep(c.deployment, run.phase, run.step);
  if (next?.status !== 'waiting' || next.attempt !== run.attempt || c.deployment.paused) return;
  c.effects.splice(c.effects.indexOf(run), 1);
  startStep(c, run.phase, next, by);
}

/**
 * A person's action that makes exactly one step due now, committed by a process that runs steps: the step starts
 * in the same commit under the offered run id, and its job becomes the run's guard, due once the lease the
 * process keeps could have run out (`StepStartOffer`).
 */
export function startOffered(c: Change, offer: StepStartOffer): void {
  const runs = c.effects.filter((e) => e.type === 'run-step');
  const run = runs[0];
  if (runs.length !== 1 || run?.type !== 'run-step' || run.at > c.now) return;
  const step = findStep(c.deployment, run.phase, run.step);
  if (step?.status !== 'waiting' || step.attempt !== run.attempt || c.deployment.paused) return;
  const at = c.effects.indexOf(run);
  c.effects.splice(at, 1);
  startStep(c, run.phase, step, offer);
  if (findStep(c.deployment, run.phase, run.step)?.runId === offer.runId)
    c.effects.splice(at, 0, { ...run, at: c.now + offer.guardAfterMs, runId: offer.runId });
}

function describeOutcome(event: Extract<StepEvent, { type: 'step.finish' }>): string {
  if (event.outcome === 'timed_out')
    return `timed out after ${formatDuration(Math.round(event.durationMs / 1000) * 1000)}`;
  if (event.failure) return `failed: ${literal(event.failure)}`;
  return `failed with exit code ${event.exitCode ?? 'unknown'}`;
}

/** Applies a step event. Stale events (another run owns the step) change nothing. */
export function onStep(c: Change, event: StepEvent): TransitionResult | undefined {
  const step = findStep(c.deployment, event.phase, event.step);
  if (!step) return refuse(new UserError('BAD_COMMAND', `there is no ${event.phase} step "${event.step}"`));
  switch (event.type) {
    case 'step.start':
      startStep(c, event.phase, step, event);
      return undefined;
    case 'step.finish': {
      if (step.status !== 'running' || step.runId !== event.runId) return undefined;
      const status = event.outcome;
      c.updateStep(event.phase, step.id, {
        status,
        finishedAt: c.now,
        durationMs: event.durationMs,
        outputTail: event.outputTail,
        ...(event.exitCode !== undefined && { exitCode: event.exitCode }),
        ...(event.failure !== undefined && { failure: event.failure }),
      });
      c.record(`step.${status}`, 'preflight', {
        phase: event.phase,
        step: step.id,
        attempt: step.attempt,
        exitCode: event.exitCode ?? null,
        durationMs: event.durationMs,
      });
      c.post({
        kind: 'step',
        phase: event.phase,
        step: step.id,
        attempt: step.attempt,
        result: {
          status,
          durationMs: event.durationMs,
          outputTail: event.outputTail,
          ...(event.exitCode !== undefined && { exitCode: event.exitCode }),
          ...(event.failure !== undefined && { failure: event.failure }),
          ...(step.lateMs !== undefined && { lateMs: step.lateMs }),
        },
      });
      postHeldReport(c);
      const current = c.deployment.state;
      // A step stopped for a rollback: the rollback waited for it.
      if (event.phase === 'deploy' && current === 'rolling_back') {
        advance(c);
        return undefined;
      }
      const active = event.phase === 'deploy' ? ['running', 'scheduled', 'awaiting_gates'] : ['rolling_back'];
      if (!active.includes(current) || status === 'canceled') return undefined;
      if (status === 'succeeded') advance(c);
      else afterFailure(c, event.phase, { ...step, status }, describeOutcome(event));
      if (event.next) startNextAtOnce(c, event.next);
      return undefined;
    }
    case 'step.interrupt': {
      if (step.status !== 'running' || step.runId !== event.runId) return undefined;
      const def = stepDefinition(c.runbook, event.phase, step.id);
      c.updateStep(event.phase, step.id, {
        status: 'interrupted',
        finishedAt: c.now,
        failure: 'its worker stopped while it ran',
      });
      c.record('step.interrupted', 'preflight', {
        phase: event.phase,
        step: step.id,
        attempt: step.attempt,
        idempotent: def?.idempotent === true,
      });
      postHeldReport(c);
      if (isFinal(c.deployment)) return undefined;
      if (event.phase === 'deploy' && c.deployment.state === 'rolling_back') {
        advance(c);
        return undefined;
      }
      if (def?.idempotent === true) {
        const allowed = Math.max(maxAttempts(def), 2);
        if (step.attempt < allowed)
          retry(c, event.phase, step, 'was interrupted when its worker stopped', allowed);
        else afterFailure(c, event.phase, step, 'was interrupted when its worker stopped');
        return undefined;
      }
      const reason = `step "${def?.title ?? step.id}" was running when its worker stopped. It is not idempotent, so Preflight will not run it again on its own: check what it did, then decide`;
      askDecision(
        c,
        event.phase,
        step,
        reason,
        event.phase === 'deploy' ? ['retry', 'skip', 'rollback'] : ['retry', 'skip'],
      );
      return undefined;
    }
  }
}
