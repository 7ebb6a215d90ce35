/** What a transition asks the outside world to do. Effects are carried out at least once, so each is idempotent. */
import type { Phase, StepStatus } from './deployment.ts';

export interface StepResultSnapshot {
  readonly status: StepStatus;
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly failure?: string;
  readonly outputTail?: string;
  readonly lateMs?: number;
}

/** A message Preflight posts or updates. Adapters render it from the deployment's current state. */
export type MessageTopic =
  | { readonly kind: 'status' }
  | { readonly kind: 'checklist' }
  | { readonly kind: 'checklist-item'; readonly item: string }
  | { readonly kind: 'gate'; readonly gate: string }
  | { readonly kind: 'gate-reminder'; readonly gate: string; readonly count: number }
  | {
      readonly kind: 'step';
      readonly phase: Phase;
      readonly step: string;
      readonly attempt: number;
      /** The attempt's result as it was when it finished (a retry may already be running when this is sent). */
      readonly result: StepResultSnapshot;
    }
  | { readonly kind: 'decision'; readonly at: number }
  /** `at`: the authorization this message records (a withdrawal that reopens a gate takes it back). */
  | { readonly kind: 'authorization'; readonly at?: number }
  | { readonly kind: 'verification'; readonly at: number }
  | { readonly kind: 'rollback'; readonly at: number }
  /**
   * `at` and `outcome`: when and how the deployment reached `state`, as they were then (a rollback asked again
   * afterwards has moved it on by the time the report is sent).
   */
  | { readonly kind: 'report'; readonly state: string; readonly at?: number; readonly outcome?: string }
  | { readonly kind: 'task'; readonly window: number; readonly index: number }
  /** A gate rejected without a reason: asks the rejecter for it until it is given, then says it (drawn at send time). */
  | { readonly kind: 'rejection'; readonly gate: string }
  | { readonly kind: 'note'; readonly key: string; readonly text: string };

export type Effect =
  | { readonly type: 'post'; readonly topic: MessageTopic }
  | { readonly type: 'refresh'; readonly topic: MessageTopic }
  | { readonly type: 'run-checklist'; readonly item: string }
  | {
      readonly type: 'run-step';
      readonly phase: Phase;
      readonly step: string;
      readonly attempt: number;
      readonly at: number;
      /** Set for the guard of a step started in its commit (`StepStartOffer`): its job is this run's owner. */
      readonly runId?: string;
    }
  | { readonly type: 'cancel-steps'; readonly reason: string }
  | { readonly type: 'timer'; readonly timer: Timer; readonly at: number }
  | { readonly type: 'verify' }
  | { readonly type: 'monitor'; readonly since: number }
  /** Run the runbook's emergency stop, then its logs; `by` asked for it. */
  | { readonly type: 'emergency-stop'; readonly by: string }
  /** Measure the rollback triggers' Prometheus queries before anything changes, for `worse_than_baseline`. */
  | { readonly type: 'capture-baseline' }
  /**
   * A rollback was asked for (and waits for approval) or began: the deployment's open incident says so in its thread
   * (a note, `key` once) and shows the deployment's new state on its message, whichever way the rollback was asked.
   */
  | { readonly type: 'note-incident'; readonly key: string; readonly text: string }
  /** The rollback ended: the deployment's open incident says so in its thread and message. */
  | {
      readonly type: 'tell-incident';
      readonly state: 'rolled_back' | 'rollback_failed' | 'aborted';
      readonly outcome: string;
    };

/**
 * Deadlines that survive restarts (delayed jobs). A gate's timers carry `since`, when the gate was opened (requested,
 * or reopened by a withdrawal): a timer of an earlier opening does nothing.
 */
export type Timer =
  | { readonly kind: 'gate.expire'; readonly gate: string; readonly since?: number }
  | { readonly kind: 'gate.remind'; readonly gate: string; readonly count: number; readonly since?: number };

/** A record for the audit log: who did what, and why. */
export interface AuditEntry {
  readonly type: string;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
}
