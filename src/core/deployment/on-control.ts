/** Operator control: abort (and emergency stop), pause, resume, decisions; verification and monitoring results. */
import { literal, quoted } from '../chat/outside-text.ts';
import { mention } from '../chat-text.ts';
import { UserError } from '../errors.ts';
import { advance } from './advance.ts';
import { type Change, refuse, type TransitionResult } from './change.ts';
import type { Decision } from './deployment.ts';
import type { DeploymentEvent } from './events.ts';
import { cancelSteps, enterMonitoringOrSucceed, finish } from './finish.ts';
import {
  abortedText,
  decidedText,
  decisionSubject,
  hasOffsetSteps,
  PAUSED_TEXT,
  resumedText,
} from './reply-texts.ts';
import { startRollback } from './rollback.ts';

type ControlEvent = Extract<
  DeploymentEvent,
  { type: 'abort' | 'pause' | 'resume' | 'decide' | 'verify.result' | 'monitoring.complete' }
>;

function decideChecklist(c: Change, choice: string, by: string): void {
  for (const item of c.deployment.checklist.filter((i) => i.status === 'failed')) {
    if (choice === 'retry') {
      c.updateChecklist(item.id, { status: 'running' });
      c.emit({ type: 'run-checklist', item: item.id });
    } else {
      c.updateChecklist(item.id, { status: 'passed', by, at: c.now, detail: `waived by ${by}` });
      c.record('checklist.waived', by, { item: item.id });
    }
  }
  c.set({ state: 'checklist' });
  c.refresh({ kind: 'checklist' });
}

function decideStep(c: Change, decision: Decision, choice: string, by: string): void {
  const { phase, step } = decision;
  const steps = phase === 'deploy' ? c.deployment.steps : (c.deployment.rollback?.steps ?? []);
  const run = steps.find((s) => s.id === step);
  if (!run) return;
  c.set({ state: phase === 'deploy' ? 'scheduled' : 'rolling_back' });
  if (choice === 'retry' || choice === 'run') {
    const attempt = run.status === 'pending' ? run.attempt + 1 : run.attempt + 1;
    c.updateStep(phase, step, {
      status: 'waiting',
      attempt,
      notBefore: c.now,
      ...(choice === 'run' && { confirmed: 'run' as const }),
    });
    c.emit({ type: 'run-step', phase, step, attempt, at: c.now });
  } else {
    c.updateStep(phase, step, {
      status: 'skipped',
      finishedAt: c.now,
      ...(phase === 'rollback' && { confirmed: 'skip' as const }),
    });
    c.record('step.skipped', by, { phase, step });
  }
}

function decide(
  c: Change,
  choice: string,
  by: string,
  asked: number | undefined,
): TransitionResult | undefined {
  const decision = c.deployment.decision;
  if (!decision) return refuse(new UserError('WRONG_STATE', 'nothing is waiting for a decision'));
  // A press on an earlier decision's message (two people pressed Retry, the step failed again at once) must not
  // answer the decision asked since, which its presser never saw.
  if (asked !== undefined && asked !== decision.askedAt)
    return refuse(
      new UserError(
        'ALREADY_DONE',
        `the decision this button answers was already taken, and a new one is waiting (${decision.reason}). Choose on its message (the latest ❓ Decision needed) or with \`/deploy decide ${decision.options.join('|')} ${c.deployment.id}\`.`,
      ),
    );
  if (!decision.options.includes(choice)) {
    return refuse(
      new UserError(
        'BAD_COMMAND',
        `${quoted(choice)} is not a choice here; choose ${decision.options.join(', ')}`,
      ),
    );
  }
  c.unset('decision');
  c.record('decision.made', by, {
    step: decision.step,
    phase: decision.phase,
    choice,
    reason: decision.reason,
  });
  c.note(
    `decided:${decision.step}:${c.deployment.revision}`,
    `${mention(by)} decided: ${choice} (${decision.step}).`,
  );
  c.reply = decidedText(c.deployment.id, choice, decisionSubject(c.runbook, decision.phase, decision.step));
  if (choice === 'rollback') return startRollback(c, by, `${decision.reason}; ${by} chose to roll back`);
  if (decision.window && choice === 'run') {
    c.set({ windowWaived: { by, at: c.now } });
    c.record('window.waived', by, { step: decision.step });
  }
  if (decision.step === 'checklist') decideChecklist(c, choice, by);
  else if (decision.step === 'verification') {
    if (choice === 'retry') {
      c.set({ state: 'verifying' });
      c.emit({ type: 'verify' });
    } else enterMonitoringOrSucceed(c);
    return undefined;
  } else decideStep(c, decision, choice, by);
  advance(c);
  return undefined;
}

/** Applies a control event. */
export function onControl(c: Change, event: ControlEvent): TransitionResult | undefined {
  switch (event.type) {
    case 'abort': {
      // What the person typed is a literal span in the outcome: shown as written; the rest is Preflight's words.
      const reason = event.reason ? `: ${literal(event.reason)}` : '';
      cancelSteps(c, `aborted by ${event.by}`);
      // Without the runbook's emergency stop there is none to run (its logs still are): never said to have run.
      const stop = event.emergency && c.runbook.emergency?.stop !== undefined;
      if (event.emergency) c.emit({ type: 'emergency-stop', by: event.by });
      if (stop) c.record('emergency.stop', event.by, { reason: event.reason ?? null });
      c.unset('decision');
      finish(
        c,
        'aborted',
        `${stop ? 'emergency stop' : 'aborted'} by ${c.runbook.people[event.by]?.name ?? event.by}${reason}`,
        event.by,
      );
      c.reply = abortedText(event.emergency, c.runbook, c.ctx.stopUnderWay);
      return undefined;
    }
    case 'pause': {
      if (c.deployment.paused)
        return refuse(new UserError('WRONG_STATE', 'this deployment is already paused'));
      c.set({ paused: true, pausedAt: c.now });
      c.record('deployment.paused', event.by);
      c.reply = PAUSED_TEXT;
      // Said in the thread too: the command may have been typed in another channel, answered only there.
      c.note(
        `paused:${c.deployment.revision}`,
        `⏸️ ${mention(event.by)} paused ${c.deployment.id}: no new step starts until /deploy resume.`,
      );
      return undefined;
    }
    case 'resume': {
      if (!c.deployment.paused) return refuse(new UserError('WRONG_STATE', 'this deployment is not paused'));
      // Steps timed as offsets keep their spacing: the run's start moves later by the time spent paused.
      // Clock-time steps keep their clock time (they are "not before", and may now be due).
      const pausedFor = Math.max(0, c.now - (c.deployment.pausedAt ?? c.now));
      const offsets = (id: string) => c.runbook.steps.find((s) => s.id === id)?.at?.kind === 'offset';
      c.set({
        paused: false,
        ...(c.deployment.runStart !== undefined && { runStart: c.deployment.runStart + pausedFor }),
      });
      c.unset('pausedAt');
      c.record('deployment.resumed', event.by, { pausedMs: pausedFor });
      c.note(`resumed:${c.deployment.revision}`, `▶️ ${mention(event.by)} resumed ${c.deployment.id}.`);
      c.reply = resumedText(pausedFor, hasOffsetSteps(c.runbook));
      for (const step of c.deployment.steps.filter((s) => s.status === 'waiting')) {
        const at = offsets(step.id) ? (step.notBefore ?? c.now) + pausedFor : (step.notBefore ?? c.now);
        if (at !== step.notBefore) c.updateStep('deploy', step.id, { notBefore: at });
        c.emit({
          type: 'run-step',
          phase: 'deploy',
          step: step.id,
          attempt: step.attempt,
          at: Math.max(c.now, at),
        });
      }
      advance(c);
      return undefined;
    }
    case 'decide':
      return decide(c, event.choice, event.by, event.asked);
    case 'verify.result': {
      c.set({ verification: { passed: event.passed, detail: event.detail, at: c.now } });
      c.record('verification', 'preflight', { passed: event.passed, detail: event.detail });
      c.post({ kind: 'verification', at: c.now });
      if (event.passed) enterMonitoringOrSucceed(c);
      else {
        c.set({
          state: 'needs_decision',
          decision: {
            phase: 'deploy',
            step: 'verification',
            reason: `post-deploy health check failed: ${literal(event.detail)}`,
            askedAt: c.now,
            options: ['retry', 'skip', 'rollback'],
          },
        });
        c.post({ kind: 'decision', at: c.now });
      }
      return undefined;
    }
    case 'monitoring.complete': {
      // Superseded: a newer deployment replaces this version, so the outcome does not say it is (still) live.
      const { service, version, environment } = c.deployment;
      const live = `${service} ${version} ${event.reason?.startsWith('superseded') ? 'went' : 'is'} live in ${environment}`;
      finish(
        c,
        'succeeded',
        event.reason ? `${live}; monitoring ended: ${event.reason}` : `${live}; monitoring finished`,
        'preflight',
      );
      return undefined;
    }
  }
}
