/**
 * The metrics ports: what the engine and the chat layer report for `/metrics` (infra/metrics-telemetry.ts
 * implements them). Calls are synchronous and cheap; a process without metrics leaves them out.
 */
import type { Refusal } from './access/caller.ts';
import type { SendOutcome } from './chat/chat-types.ts';
import type { Deployment } from './deployment/deployment.ts';
import type { Incident } from './incident/incident.ts';
import type { PagerEvent, PagerTry } from './pager-port.ts';

/** What Preflight tells its metrics (/metrics). Calls are synchronous and cheap; a process without metrics ignores them. */
export interface Telemetry {
  /** A deployment commit went through. */
  deploymentChanged(before: Deployment | undefined, after: Deployment): void;
  /** An incident commit went through. */
  incidentChanged(before: Incident | undefined, after: Incident): void;
  /** The outbox relay delivered one commit's effects, `lagMs` after the commit. */
  outboxDelivered(lagMs: number): void;
  /** The chat send queue sent (or failed to send) a message queued `lagMs` ago. */
  chatSent(platform: string, outcome: SendOutcome['status'], lagMs: number): void;
  /**
   * A chat command was handled: `command` is its registered name (`deploy start`, `ack`) or `unknown`; the outcome
   * says whether it ran (`ok`), was refused because of who asked (`refused`), was a user's mistake such as bad
   * usage or the wrong state (`invalid`), or failed on Preflight's side (`error`).
   */
  commandHandled(command: string, outcome: CommandOutcome): void;
  /** One try to hand an event to the paging service (PagerDuty), and what became of it. */
  pagerTried(action: PagerEvent['action'], outcome: PagerTry): void;
}

/** What became of a chat command, for /metrics. */
export type CommandOutcome = 'ok' | 'refused' | 'invalid' | 'error';

/** Counts refused requests (the audit log keeps each one); `/metrics` shows the counts. */
export interface RefusalCounter {
  count(refusal: Refusal): void;
}
