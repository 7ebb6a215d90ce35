/** Moves a deployment forward as far as it can go: checklist → gates → timed steps → verification. */
import { formatDuration } from '../runbook/duration.ts';
import { notBefore } from '../schedule/step-times.ts';
import type { Change } from './change.ts';
import type { GateRun } from './deployment.ts';
import { completeSteps, finish } from './finish.ts';
import { gateDefinition, gatesFor, requestedGates } from './runbook-lookup.ts';

function requestGates(c: Change): void {
  const ids = requestedGates(c.runbook, c.deployment.extraGates);
  const gates: GateRun[] = c.deployment.gates.map((g) =>
    ids.includes(g.id) && g.requestedAt === undefined ? { ...g, requestedAt: c.now } : g,
  );
  c.set({ state: 'awaiting_gates', gates });
  for (const id of ids) {
    const def = gateDefinition(c.runbook, id);
    c.post({ kind: 'gate', gate: id });
    c.record('gate.requested', 'preflight', { gate: id, required: def?.required ?? 1 });
    setGateTimers(c, id);
  }
}

/** A gate's expiry and first reminder, counted from now: when it is requested, and again when it is reopened. */
export function setGateTimers(c: Change, id: string): void {
  const def = gateDefinition(c.runbook, id);
  const since = c.now;
  if (def?.expires !== undefined)
    c.emit({ type: 'timer', timer: { kind: 'gate.expire', gate: id, since }, at: since + def.expires });
  if (def?.remind_every !== undefined) {
    c.emit({
      type: 'timer',
      timer: { kind: 'gate.remind', gate: id, count: 1, since },
      at: since + def.remind_every,
    });
  }
}

function advanceChecklist(c: Change): void {
  const items = c.deployment.checklist;
  if (items.every((i) => i.status === 'passed')) {
    if (items.length > 0) {
      c.record('checklist.complete', 'preflight', { items: items.length });
      c.refresh({ kind: 'checklist' });
    }
    requestGates(c);
    advanceSteps(c);
    return;
  }
  const failed = items.filter((i) => i.status === 'failed');
  const busy = items.some((i) => i.status === 'running');
  if (failed.length > 0 && !busy && !c.deployment.decision) {
    const reason = `checklist check${failed.length > 1 ? 's' : ''} failed: ${failed.map((f) => f.id).join(', ')}`;
    c.set({
      state: 'needs_decision',
      decision: { phase: 'deploy', step: 'checklist', reason, askedAt: c.now, options: ['retry', 'skip'] },
    });
    c.record('decision.asked', 'preflight', { step: 'checklist', reason });
    c.post({ kind: 'decision', at: c.now });
  }
}

function advanceSteps(c: Change): void {
  const d = c.deployment;
  if (d.steps.some((s) => s.status === 'running')) {
    if (d.state !== 'running') c.set({ state: 'running' });
    return;
  }
  if (d.steps.some((s) => s.status === 'waiting')) {
    if (d.state !== 'scheduled') c.set({ state: 'scheduled' });
    return;
  }
  const index = d.steps.findIndex((s) => s.status === 'pending');
  if (index < 0) {
    completeSteps(c);
    return;
  }
  const pendingGates = gatesFor(c.runbook, d, index).filter(
    (id) => d.gates.find((g) => g.id === id)?.status !== 'approved',
  );
  if (pendingGates.length > 0) {
    if (d.state !== 'awaiting_gates') c.set({ state: 'awaiting_gates' });
    return;
  }
  if (d.paused) {
    // Nothing runs while paused: the step that ran has finished, the next one waits for /deploy resume.
    if (d.state === 'running') c.set({ state: 'scheduled' });
    return;
  }
  const step = d.steps[index];
  const def = c.runbook.steps[index];
  if (!step || !def) return;
  const runStart = d.runStart ?? c.now;
  // The baseline a trigger compares with is measured as the run begins, not when it was asked for: gates and
  // checklists may have taken hours, and the service's normal by then is what the new version must not be worse than.
  if (
    d.runStart === undefined &&
    (c.runbook.rollback?.triggers ?? []).some((t) => t.prometheus !== undefined)
  )
    c.emit({ type: 'capture-baseline' });
  // A step without a time of its own is due when the one before it is done: it is late only if it waits past that.
  const earliest = def.at ? notBefore(def.at, runStart, c.runbook.timezone, c.runbook.window) : c.now;
  c.set({ runStart, state: 'scheduled' });
  c.updateStep('deploy', step.id, { status: 'waiting', attempt: step.attempt + 1, notBefore: earliest });
  c.emit({
    type: 'run-step',
    phase: 'deploy',
    step: step.id,
    attempt: step.attempt + 1,
    at: Math.max(earliest, c.now),
  });
  const wait = earliest - c.now;
  c.record('step.scheduled', 'preflight', { step: step.id, notBefore: earliest });
  if (wait > 1000)
    c.note(
      `wait:${step.id}`,
      `Step ${def.label ?? index + 1} ${def.title} starts in ${formatDuration(Math.round(wait / 1000) * 1000)}, not before its time ${def.at?.text ?? ''}.`,
    );
}

function advanceRollback(c: Change): void {
  const rollback = c.deployment.rollback;
  if (!rollback?.started || c.deployment.state !== 'rolling_back') return;
  const steps = rollback.steps;
  if (steps.some((s) => s.status === 'running' || s.status === 'waiting')) return;
  // Undoing what a step does while it still runs would race it: the rollback starts once the step has stopped.
  const stopping = c.deployment.steps.find((s) => s.status === 'running');
  if (stopping) {
    const title = c.runbook.steps.find((s) => s.id === stopping.id)?.title ?? stopping.id;
    c.note(
      `rollback-waits:${stopping.id}:${rollback.at}`,
      `⏳ The rollback starts once step *${title}*, asked to stop, has stopped.`,
    );
    return;
  }
  const next = steps.find((s) => s.status === 'pending');
  if (!next) {
    const failed = steps.filter((s) => s.status === 'failed' || s.status === 'timed_out');
    const note =
      failed.length > 0
        ? ` (optional step${failed.length > 1 ? 's' : ''} failed: ${failed.map((s) => s.id).join(', ')})`
        : '';
    const to = c.deployment.previousVersion ? ` to ${c.deployment.previousVersion}` : '';
    // A step that failed and was skipped by a person left its part undone: the service is not back as it was.
    const undone = steps.filter((s) => s.status === 'skipped' && s.attempt > 0);
    if (undone.length > 0) {
      const titles = undone.map((s) => {
        const title = c.runbook.rollback?.steps.find((d) => d.id === s.id)?.title ?? s.id;
        return `"${title}"`;
      });
      const which = `step${undone.length > 1 ? 's' : ''} ${titles.join(', ')} failed and ${undone.length > 1 ? 'were' : 'was'} skipped`;
      finish(c, 'rollback_failed', `rollback incomplete${to}: rollback ${which}${note}`, 'preflight');
      return;
    }
    finish(c, 'rolled_back', `rolled back${to}${note}`, 'preflight');
    return;
  }
  const def = c.runbook.rollback?.steps.find((s) => s.id === next.id);
  if (def?.confirm === true && next.confirmed === undefined) {
    c.set({
      state: 'needs_decision',
      decision: {
        phase: 'rollback',
        step: next.id,
        reason: `${def.title ?? next.id}: run it?`,
        askedAt: c.now,
        options: ['run', 'skip'],
      },
    });
    c.record('decision.asked', 'preflight', { phase: 'rollback', step: next.id });
    c.post({ kind: 'decision', at: c.now });
    return;
  }
  c.updateStep('rollback', next.id, { status: 'waiting', attempt: next.attempt + 1, notBefore: c.now });
  c.emit({ type: 'run-step', phase: 'rollback', step: next.id, attempt: next.attempt + 1, at: c.now });
}

/** Takes every step the deployment can take now. Call after any event that may unblock progress. */
export function advance(c: Change): void {
  switch (c.deployment.state) {
    case 'checklist':
      advanceChecklist(c);
      return;
    case 'awaiting_gates':
    case 'scheduled':
    case 'running':
      advanceSteps(c);
      return;
    case 'rolling_back':
      advanceRollback(c);
      return;
    case 'verifying':
    case 'monitoring':
    case 'needs_decision':
    case 'succeeded':
    case 'failed':
    case 'aborted':
    case 'rolled_back':
    case 'rollback_failed':
      return;
  }
}
