/** The paging port: what Preflight hands a paging service (PagerDuty Events API v2), one try at a time. */

/** A page through a paging service (PagerDuty Events API v2). */
export interface PagerEvent {
  readonly action: 'trigger' | 'acknowledge' | 'resolve';
  /** Same key for every event of one incident. */
  readonly dedupKey: string;
  readonly summary: string;
  readonly source: string;
  readonly severity: 'critical' | 'error' | 'warning' | 'info';
  readonly component?: string;
  readonly group?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Why a try failed: `refused` (the service will never take the event as it is: trying again cannot help),
 * `rate_limited` (it asked Preflight to slow down), `failed` (a server error, a timeout, no answer).
 */
export type PagerFailure = 'refused' | 'rate_limited' | 'failed';

/** One try as /metrics counts it: taken (`sent`) or why not. */
export type PagerTry = 'sent' | PagerFailure;

/** What became of one try to hand an event to the paging service. */
export type PagerOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly failure: PagerFailure;
      /** The HTTP status the service answered with, when it answered. */
      readonly status?: number;
      readonly reason: string;
      readonly retryAfterMs?: number;
    };

export interface Pager {
  /** One try; the caller (a job) retries what was not refused, after `retryAfterMs` when the service says. */
  send(event: PagerEvent): Promise<PagerOutcome>;
  /**
   * How long after a try began the service may still take its event when no answer came (the try timed out, or its
   * process was killed): an acknowledge or resolve sent before then is sent again then. Unset: never late.
   */
  readonly lateMs?: number;
}
