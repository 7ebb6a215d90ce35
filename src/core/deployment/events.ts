/** Everything that can happen to a deployment. Each event carries who caused it (a person id or `preflight`). */
import type { Phase } from './deployment.ts';

export const SYSTEM_ACTOR = 'preflight';

/** Who starts a step: the run id that owns the attempt, and the worker process running it. */
export interface StepStartBy {
  readonly runId: string;
  readonly pid?: number;
  readonly host?: string;
}

/**
 * A process that runs steps offers to start, in the commit of a person's action, the one step that action makes
 * due now. The step's job is then added only as its guard, due `guardAfterMs` later: it finds the step running
 * under this run id and leaves it while the run's lease is held, or, if the process died, takes it over as
 * recovery does for any worker that died mid-step.
 */
export interface StepStartOffer extends StepStartBy {
  readonly guardAfterMs: number;
}

/** How a step's run can end. */
export const STEP_OUTCOMES = ['succeeded', 'failed', 'timed_out', 'canceled'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export type DeploymentEvent =
  | {
      readonly type: 'checklist.result';
      readonly item: string;
      readonly passed: boolean;
      readonly detail: string;
      readonly outputTail?: string;
    }
  | {
      readonly type: 'checklist.tick';
      readonly item: string;
      readonly by: string;
      /** The message whose ✅ ticked it (a reaction's tick): that ✅ taken off while unheard unticks it too. */
      readonly onMessage?: string;
    }
  | {
      readonly type: 'checklist.untick';
      readonly item: string;
      readonly by: string;
      /** The message the ✅ was taken off: only a tick that ✅ gave is taken back (reaction-gave.ts). */
      readonly onMessage: string;
    }
  | { readonly type: 'gate.approve'; readonly gate: string; readonly by: string; readonly onMessage?: string }
  | {
      readonly type: 'gate.withdraw';
      readonly gate: string;
      readonly by: string;
      /** The message the ✅ was taken off: only an approval that ✅ gave is withdrawn (reaction-gave.ts). */
      readonly onMessage: string;
    }
  | { readonly type: 'gate.reject'; readonly gate: string; readonly by: string; readonly reason?: string }
  | { readonly type: 'gate.reason'; readonly gate: string; readonly by: string; readonly reason: string }
  | { readonly type: 'gate.expire'; readonly gate: string; readonly since?: number }
  | { readonly type: 'gate.remind'; readonly gate: string; readonly count: number; readonly since?: number }
  | ({ readonly type: 'step.start'; readonly phase: Phase; readonly step: string } & StepStartBy)
  | {
      readonly type: 'step.finish';
      readonly phase: Phase;
      readonly step: string;
      readonly runId: string;
      readonly outcome: StepOutcome;
      readonly exitCode?: number;
      readonly durationMs: number;
      readonly outputTail: string;
      readonly failure?: string;
      /**
       * The worker that ran the step can run the next one at once: if this finish asks for exactly one step, due
       * now, that step starts in the same commit under this run id, and no job is queued for it.
       */
      readonly next?: StepStartBy;
    }
  | { readonly type: 'step.interrupt'; readonly phase: Phase; readonly step: string; readonly runId: string }
  | { readonly type: 'verify.result'; readonly passed: boolean; readonly detail: string }
  | { readonly type: 'monitoring.complete'; readonly reason?: string }
  | {
      readonly type: 'decide';
      readonly choice: string;
      readonly by: string;
      /** The `askedAt` of the decision answered (a button on its message): refused when that one was taken. */
      readonly asked?: number;
    }
  | { readonly type: 'abort'; readonly by: string; readonly emergency: boolean; readonly reason?: string }
  | { readonly type: 'pause'; readonly by: string }
  | { readonly type: 'resume'; readonly by: string }
  | { readonly type: 'rollback.request'; readonly by: string; readonly reason: string }
  | {
      readonly type: 'rollback.approve';
      readonly by: string;
      readonly onMessage?: string;
      /** The `at` of the rollback whose message it was given on (a ✅ or a button there): refused for another one. */
      readonly prompt?: number;
    }
  | {
      readonly type: 'rollback.withdraw';
      readonly by: string;
      readonly prompt?: number;
      /** The message the ✅ was taken off: only an approval that ✅ gave is withdrawn (reaction-gave.ts). */
      readonly onMessage: string;
    }
  | {
      readonly type: 'success.result';
      readonly criterion: string;
      readonly title: string;
      readonly met: boolean;
      readonly detail: string;
      /** The message posted in the thread. */
      readonly text: string;
    }
  | {
      readonly type: 'task.tick';
      readonly window: number;
      readonly index: number;
      readonly by: string;
      /** The message whose ✅ ticked it (a reaction's tick): that ✅ taken off while unheard unticks it too. */
      readonly onMessage?: string;
    }
  | {
      readonly type: 'task.untick';
      readonly window: number;
      readonly index: number;
      readonly by: string;
      /** The message the ✅ was taken off: only a tick that ✅ gave is taken back (reaction-gave.ts). */
      readonly onMessage: string;
    };

export type DeploymentEventType = DeploymentEvent['type'];

const WITHDRAWALS: readonly DeploymentEventType[] = [
  'gate.withdraw',
  'checklist.untick',
  'task.untick',
  'rollback.withdraw',
];

/**
 * Whether the event takes back what its own person did (a ✅ taken off): not a request, so never refused. It
 * withdraws their approval or tick while that still counts, and otherwise changes nothing and says nothing.
 */
export function isWithdrawal(event: { readonly type: string }): boolean {
  return (WITHDRAWALS as readonly string[]).includes(event.type);
}

/** The person or system that caused an event. */
export function actorOf(event: DeploymentEvent): string {
  return 'by' in event ? event.by : SYSTEM_ACTOR;
}
