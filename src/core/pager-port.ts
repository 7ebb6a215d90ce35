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

/** What became of one try to hand an event to the paging service. */
export type PagerOutcome =
  | { readonly ok: true }
  /** `permanent`: trying again cannot help (the service refused the event as it is). */
  | {
      readonly ok: false;
      readonly reason: string;
      readonly permanent: boolean;
      readonly retryAfterMs?: number;
    };

export interface Pager {
  /** One try; the caller (a job) retries what is not permanent, after `retryAfterMs` when the service says. */
  send(event: PagerEvent): Promise<PagerOutcome>;
}
