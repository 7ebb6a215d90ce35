import type { Platform } from '../chat/chat-types.ts';
import type { HeldOn } from './reaction-held.ts';

/** A deployment: one run of a runbook for a service, version and environment. */

/** Where a deployment is in its lifecycle (design.md §6). */
export const DEPLOYMENT_STATES = [
  'checklist',
  'awaiting_gates',
  'scheduled',
  'running',
  'verifying',
  'monitoring',
  'succeeded',
  'failed',
  'needs_decision',
  'aborted',
  'rolling_back',
  'rolled_back',
  'rollback_failed',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** States a deployment never leaves. */
export const FINAL_STATES: readonly DeploymentState[] = [
  'succeeded',
  'failed',
  'aborted',
  'rolled_back',
  'rollback_failed',
];

/** States in which the deployment holds its service/environment lock. */
export const LOCKING_STATES: readonly DeploymentState[] = [
  'checklist',
  'awaiting_gates',
  'scheduled',
  'running',
  'verifying',
  'needs_decision',
  'rolling_back',
];

export type Phase = 'deploy' | 'rollback';

export type StepStatus =
  | 'pending'
  | 'waiting'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'canceled'
  | 'skipped'
  | 'interrupted';

/** One step's progress. `runId` names the job that owns the current attempt. */
export interface StepRun {
  readonly id: string;
  readonly status: StepStatus;
  readonly attempt: number;
  readonly notBefore?: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly lateMs?: number;
  readonly runId?: string;
  readonly pid?: number;
  readonly host?: string;
  readonly exitCode?: number;
  readonly durationMs?: number;
  /** Last lines of output, already redacted. */
  readonly outputTail?: string;
  readonly failure?: string;
  /** For rollback steps with `confirm`: the operator's answer. */
  readonly confirmed?: 'run' | 'skip';
}

export type ChecklistStatus = 'pending' | 'running' | 'passed' | 'failed';

export interface ChecklistRun {
  readonly id: string;
  readonly status: ChecklistStatus;
  readonly by?: string;
  readonly at?: number;
  readonly detail?: string;
  readonly outputTail?: string;
  /**
   * The message whose ✅ ticked a manual item (a reaction's tick): taking that ✅ away unticks it while the checklist
   * is open, even while Preflight did not hear it.
   */
  readonly onMessage?: string;
  /** The ✅ that hold the tick, once one on another message counted it too (reaction-held.ts). */
  readonly heldOn?: readonly HeldOn[];
}

export interface Approval {
  readonly by: string;
  readonly at: number;
  /**
   * The message whose ✅ gave it (a reaction's approval): taking that ✅ away withdraws it, even while Preflight did
   * not hear it. None: given by a button or a command, which no ✅ taken off withdraws (reaction-gave.ts).
   */
  readonly onMessage?: string;
  /** The ✅ that hold it, once one on another message counted it too (a reminder's; reaction-held.ts). */
  readonly heldOn?: readonly HeldOn[];
}

export type GateStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** When the gate was last opened: requested, or reopened by a withdrawal. Its expiry and timers count from then. */
export const gateOpenedAt = (gate: Pick<GateRun, 'requestedAt' | 'reopenedAt'>): number | undefined =>
  gate.reopenedAt ?? gate.requestedAt;

export interface GateRun {
  readonly id: string;
  readonly status: GateStatus;
  readonly requestedAt?: number;
  /** When a withdrawal last opened the approved gate again (its expiry and reminders start over from then). */
  readonly reopenedAt?: number;
  readonly closedAt?: number;
  readonly approvals: readonly Approval[];
  /** When each person last withdrew their approval: a ✅ of theirs seen afterwards is a new answer. */
  readonly withdrawn?: Readonly<Record<string, number>>;
  readonly rejection?: { readonly by: string; readonly at: number; readonly reason?: string };
  /** How many reminders the gate's current opening has had (numbered from 1; 0 again when a withdrawal reopens it). */
  readonly reminders: number;
}

export interface Decision {
  readonly phase: Phase;
  readonly step: string;
  /** Chat text: Preflight's words, with any outside words in them (a step's failure) as literal spans. */
  readonly reason: string;
  readonly askedAt: number;
  /** What can be chosen: retry, skip, rollback (or run/skip for a confirm step). */
  readonly options: readonly string[];
  /** The step was due after the deployment window closed: `run` runs the rest outside it. */
  readonly window?: true;
}

export interface RollbackRun {
  /** How it was asked for, in Preflight's words (chat text: outside words in it are literal spans). */
  readonly reason: string;
  readonly by: string;
  readonly at: number;
  /** False while the rollback waits for more approvals. */
  readonly started: boolean;
  /** The state the deployment was in when the rollback was asked for. */
  readonly from: DeploymentState;
  readonly steps: readonly StepRun[];
  readonly approvals: readonly Approval[];
  /** When each person last withdrew their approval: a ✅ of theirs seen afterwards is a new answer (as on a gate). */
  readonly withdrawn?: Readonly<Record<string, number>>;
}

export interface Deployment {
  readonly id: string;
  /** The chat platform the deployment was started from; its thread lives there. */
  readonly origin: Platform;
  /** Bumped on every change; the store applies changes with compare-and-set on it. */
  readonly revision: number;
  readonly service: string;
  readonly environment: string;
  readonly version: string;
  readonly previousVersion?: string;
  readonly requestedBy: string;
  readonly requestedAt: number;
  /** SHA-256 of the runbook text the deployment was started with; it runs with that text to the end. */
  readonly runbookDigest: string;
  readonly state: DeploymentState;
  readonly paused: boolean;
  /** When the current pause began; resuming moves `+offset` step times later by the time spent paused. */
  readonly pausedAt?: number;
  /** When the steps phase began: the origin of `+offset` step times and the day of clock times. */
  readonly runStart?: number;
  readonly finishedAt?: number;
  /** Gates added for this deployment only (the window override gate). */
  readonly extraGates: readonly string[];
  /** Who chose to run its steps after the deployment window had closed (`/deploy decide run`). */
  readonly windowWaived?: { readonly by: string; readonly at: number };
  readonly checklist: readonly ChecklistRun[];
  readonly gates: readonly GateRun[];
  readonly steps: readonly StepRun[];
  readonly decision?: Decision;
  readonly rollback?: RollbackRun;
  readonly authorizedAt?: number;
  /** The last post-deploy health verification. */
  readonly verification?: { readonly passed: boolean; readonly detail: string; readonly at: number };
  /**
   * How it ended, as chat text: Preflight's words, and what someone typed (an abort's reason) or a step's failure as
   * literal spans, composed so in core where the words meet; shown as it is, never wrapped whole as outside text.
   */
  readonly outcome?: string;
  /**
   * The report of how it ended, held while a step it stopped is still running: posted once that step's end is
   * known, so the thread says how the step ended before it says how the deployment did.
   */
  readonly heldReport?: {
    readonly state: DeploymentState;
    readonly at: number;
    readonly outcome: string;
  };
  /** Success criteria as evaluated after the deploy (also in the audit log and the final report). */
  readonly success?: readonly {
    readonly id: string;
    readonly title: string;
    readonly met: boolean;
    readonly detail: string;
    readonly at: number;
  }[];
  /** Monitoring tasks ticked by their owners: `monitoring[window].tasks[index]`. */
  readonly tasksDone?: readonly {
    readonly window: number;
    readonly index: number;
    readonly by: string;
    readonly at: number;
    /** The message whose ✅ ticked it (a reaction's tick): that ✅ taken off while unheard unticks it too. */
    readonly onMessage?: string;
    /** The ✅ that hold the tick, once one on another message counted it too (reaction-held.ts). */
    readonly heldOn?: readonly HeldOn[];
  }[];
}

/** Finds a step run by phase and id. */
export function findStep(deployment: Deployment, phase: Phase, id: string): StepRun | undefined {
  const steps = phase === 'deploy' ? deployment.steps : (deployment.rollback?.steps ?? []);
  return steps.find((s) => s.id === id);
}

/** True while one of its steps (deploy or rollback) runs. */
export function runsAStep(deployment: Pick<Deployment, 'steps' | 'rollback'>): boolean {
  const steps = [...deployment.steps, ...(deployment.rollback?.steps ?? [])];
  return steps.some((s) => s.status === 'running');
}

/** True when the deployment will not change any more. */
export function isFinal(deployment: Pick<Deployment, 'state'>): boolean {
  return FINAL_STATES.includes(deployment.state);
}

/**
 * True once one of its steps has started: before that (its checklist, its gates, an abort before its first step) a
 * deployment has changed nothing, so nothing that goes wrong is "after" it.
 */
export function hasStartedAStep(deployment: Pick<Deployment, 'steps'>): boolean {
  return deployment.steps.some((s) => s.startedAt !== undefined);
}
