/** Queue names and job payloads. Job data carries ids only; processors re-read state from the store. */
import type { LadderPage, Phase, Timer } from '../core/index.ts';

export const QUEUE_NAMES = {
  steps: 'pf-steps',
  checks: 'pf-checks',
  timers: 'pf-timers',
} as const;

export type QueueRole = keyof typeof QUEUE_NAMES;

export interface StepJob {
  readonly deploymentId: string;
  readonly phase: Phase;
  readonly step: string;
  readonly attempt: number;
}

export type CheckJob =
  | { readonly kind: 'checklist'; readonly deploymentId: string; readonly item: string }
  | { readonly kind: 'verify'; readonly deploymentId: string }
  | { readonly kind: 'emergency'; readonly deploymentId: string; readonly by?: string }
  | { readonly kind: 'baseline'; readonly deploymentId: string }
  | { readonly kind: 'monitor'; readonly deploymentId: string; readonly window: number }
  | { readonly kind: 'triggers'; readonly deploymentId: string }
  | {
      readonly kind: 'incident-emergency';
      readonly incidentId: string;
      readonly which: 'stop' | 'logs';
      readonly by: string;
    }
  | {
      readonly kind: 'tasks';
      readonly deploymentId: string;
      readonly window: number;
      /** `post` at the period's start, `remind` at its end. */
      readonly phase: 'post' | 'remind';
    }
  | { readonly kind: 'success'; readonly deploymentId: string; readonly criterion: string }
  /** One PagerDuty event for one page of an incident (see processors/pager-send.ts). */
  | {
      readonly kind: 'pager';
      readonly incidentId: string;
      readonly action: 'trigger' | 'acknowledge' | 'resolve';
      readonly level: number;
      readonly repeat: number;
      /** Set once the thread was told PagerDuty did not take the page: a later take is said, a failure not again. */
      readonly told?: true;
      /** Set once PagerDuty took the trigger: paging stopped meanwhile, its acknowledge or resolve follows it. */
      readonly taken?: true;
      /** When the trigger's try under way began; left set by a try its process was killed in. */
      readonly tryingAt?: number;
      /** When the latest try of the trigger that got no answer began: PagerDuty may take it late (Pager.lateMs). */
      readonly unsureAt?: number;
    };

export type TimerJob =
  | { readonly kind: 'timer'; readonly deploymentId: string; readonly timer: Timer }
  | { readonly kind: 'monitoring.complete'; readonly deploymentId: string }
  | { readonly kind: 'incident.page'; readonly incidentId: string; readonly page: LadderPage };

/** BullMQ forbids ':' in custom job ids; ours are built from safe parts joined by '~'. */
export function jobId(...parts: readonly (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[:~]/g, '_')).join('~');
}
