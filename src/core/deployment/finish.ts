/** Ending a deployment: success, failure, and the hand-over to post-deploy monitoring. */
import type { Change } from './change.ts';
import { type DeploymentState, runsAStep } from './deployment.ts';

/** Moves the deployment to a final state, releasing its lock and posting the report (once no stopped step runs). */
export function finish(c: Change, state: DeploymentState, outcome: string, actor: string): void {
  // After a rollback (finished, failed, or aborted once a step of it ran: the service is neither version) nobody
  // deploys again before someone has looked and unlocked.
  const undoing =
    state === 'aborted' &&
    c.deployment.state === 'rolling_back' &&
    c.deployment.rollback?.started === true &&
    c.deployment.rollback.steps.some((s) => s.attempt > 0);
  c.set({ state, outcome, finishedAt: c.now });
  c.lock = state === 'rolled_back' || state === 'rollback_failed' || undoing ? 'hold' : 'release';
  c.record(`deployment.${state}`, actor, { outcome });
  // A step it stopped (an abort, a failure beside it) is still running: its end is said first, then the report.
  if (runsAStep(c.deployment)) c.set({ heldReport: { state, at: c.now, outcome } });
  else c.post({ kind: 'report', state, at: c.now, outcome });
  const ended =
    state === 'rolled_back' || state === 'rollback_failed' ? state : undoing ? 'aborted' : undefined;
  if (ended) c.emit({ type: 'tell-incident', state: ended, outcome });
}

/** Posts the report held while a stopped step ran (`finish`), once no step runs any more. */
export function postHeldReport(c: Change): void {
  const held = c.deployment.heldReport;
  if (held === undefined || runsAStep(c.deployment)) return;
  c.unset('heldReport');
  c.post({ kind: 'report', ...held });
}

/**
 * Stops the steps: those running are killed (their end is recorded when their worker reports it), those waiting
 * for their time are canceled now, so the report says what became of each.
 */
export function cancelSteps(c: Change, reason: string): void {
  c.emit({ type: 'cancel-steps', reason });
  for (const step of c.deployment.steps)
    if (step.status === 'waiting') c.updateStep('deploy', step.id, { status: 'canceled', finishedAt: c.now });
}

/** Fails the deployment: stops what runs and reports why. */
export function fail(c: Change, reason: string, actor: string): void {
  cancelSteps(c, reason);
  finish(c, 'failed', reason, actor);
}

/** All steps are done: verify health if the runbook has checks, else finish. */
export function completeSteps(c: Change): void {
  if ((c.runbook.health ?? []).length > 0) {
    c.set({ state: 'verifying' });
    c.record('deployment.verifying', 'preflight');
    c.emit({ type: 'verify' });
    return;
  }
  enterMonitoringOrSucceed(c);
}

/** Steps and verification passed: monitor if the runbook says so, else the deployment succeeded. */
export function enterMonitoringOrSucceed(c: Change): void {
  if ((c.runbook.monitoring ?? []).length > 0) {
    c.set({ state: 'monitoring' });
    c.lock = 'release';
    c.record('deployment.monitoring', 'preflight');
    c.emit({ type: 'monitor', since: c.now });
    c.post({ kind: 'report', state: 'monitoring', at: c.now });
    return;
  }
  finish(
    c,
    'succeeded',
    `${c.deployment.service} ${c.deployment.version} is live in ${c.deployment.environment}`,
    'preflight',
  );
}
