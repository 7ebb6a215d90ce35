/** An incident: opened by a rollback trigger or a person, paged along the escalation ladder until acknowledged. */
import type { Platform } from '../chat/chat-types.ts';
import type { LadderPage } from '../escalation/escalation-schedule.ts';

export type IncidentState = 'open' | 'acknowledged' | 'resolved';

/** A page that went out: which level, who, when. */
export interface SentPage {
  readonly level: number;
  readonly levelId: string;
  readonly repeat: number;
  readonly at: number;
  readonly people: readonly string[];
  /** How long after its time it went out, when that was a minute or more (no worker could page meanwhile). */
  readonly lateMs?: number;
}

export interface Incident {
  /** `INC-7` */
  readonly id: string;
  readonly revision: number;
  readonly service: string;
  readonly environment: string;
  readonly deploymentId?: string;
  readonly runbookDigest: string;
  readonly origin: Platform;
  readonly state: IncidentState;
  readonly title: string;
  /** The rollback trigger that opened it, or `manual`. */
  readonly trigger: string;
  readonly openedBy: string;
  readonly openedAt: number;
  /** Health as seen when it opened, in words. */
  readonly health?: string;
  /** What was measured against what was allowed, when a trigger measured something. */
  readonly measured?: Measurement;
  /** Later causes, added to this incident instead of opening another one. */
  readonly causes?: readonly IncidentCause[];
  /**
   * The Alertmanager alerts behind it that still fire (`fingerprint@startsAt`), when alerts opened it or joined it
   * later: an alert added later joins them, one Alertmanager reports resolved leaves. None left: paging stops, as
   * after a re-check, unless another cause holds it open (`causesBesideAlerts`).
   */
  readonly alerts?: readonly string[];
  /**
   * Set when alerts joined an incident something else opened (a person's declaration, a health check): that
   * opening cause holds it open whatever Alertmanager reports of the alerts.
   */
  readonly alertsJoined?: true;
  /**
   * Set when a re-check before a page found the trigger no longer firing: paging stopped. `next` is the page that
   * was due then, where the ladder goes on should the trigger fire again.
   */
  readonly cleared?: { readonly at: number; readonly detail: string; readonly next?: LadderPage };
  readonly pages: readonly SentPage[];
  /** The page scheduled next, while nobody has answered. */
  readonly next?: LadderPage;
  readonly ack?: { readonly by: string; readonly at: number };
  readonly resolution?: { readonly by: string; readonly at: number; readonly note?: string };
  /** Triggers that still fired after it was resolved, each said in its thread once (incident-after-resolve.ts). */
  readonly firingAfterResolve?: readonly string[];
  /**
   * Why PagerDuty last refused a page of it (its answer), as said in its thread: a refusal for the same reason is
   * not said again until PagerDuty takes a page.
   */
  readonly pagerRefused?: string;
  /**
   * The emergency commands under way (asked for, their output not yet posted): asked for again meanwhile, by a
   * double click or a second person, one is not run a second time beside the first.
   */
  readonly emergencies?: Partial<Record<'stop' | 'logs', { readonly by: string; readonly at: number }>>;
  /** How the rollback of its deployment ended, once it has. */
  readonly rollback?: { readonly state: 'rolled_back' | 'rollback_failed' | 'aborted'; readonly at: number };
}

/** A measured value against its limit: `value 0.6 > threshold 0.015 (baseline 0.01)`. */
export interface Measurement {
  readonly value: number;
  readonly threshold: number;
  readonly baseline?: number;
  /** What was measured: a query, a check id, `firing alerts`. */
  readonly what: string;
}

/** The deployment a cause came from, and its health in words as its trigger saw it. */
export interface DeploymentLink {
  readonly deploymentId: string;
  readonly health?: string;
}

/** Another trigger (or person) that found trouble while the incident was open. */
export interface IncidentCause {
  readonly trigger: string;
  readonly title: string;
  readonly by: string;
  readonly at: number;
  readonly measured?: Measurement;
  /** The Alertmanager alerts that are this cause (`fingerprint@startsAt`). */
  readonly alerts?: readonly string[];
}

export type IncidentEvent =
  | {
      readonly type: 'incident.page';
      readonly page: LadderPage;
      /** What the re-check before this page saw (the trigger still firing). */
      readonly recheck?: string;
    }
  | {
      readonly type: 'incident.cause';
      readonly cause: IncidentCause;
      /** The deployment whose trigger (or person) found this cause: an incident about none yet becomes its own. */
      readonly link?: DeploymentLink;
    }
  | { readonly type: 'incident.clear'; readonly detail: string }
  /** Alertmanager reports these alerts resolved (`names` says which, in words). */
  | { readonly type: 'incident.alerts-resolved'; readonly alerts: readonly string[]; readonly names: string }
  /**
   * A trigger of its deployment still fires after it was resolved: a new incident opens if it keeps firing `waitMs`
   * after the resolve. `detail` says what the trigger sees.
   */
  | {
      readonly type: 'incident.still-firing';
      readonly trigger: string;
      readonly title: string;
      readonly detail: string;
      readonly waitMs: number;
    }
  /** Someone allowed to abort asks for the runbook's emergency stop or logs from the incident. */
  | { readonly type: 'incident.emergency-request'; readonly which: 'stop' | 'logs'; readonly by: string }
  | {
      readonly type: 'incident.emergency';
      readonly which: 'stop' | 'logs';
      readonly by: string;
      readonly outcome: string;
      readonly output: string;
    }
  /**
   * PagerDuty refused a page (`reason`: its answer); `note` is what the thread is told, the first time for a reason.
   */
  | {
      readonly type: 'incident.pager-refused';
      readonly level: number;
      readonly repeat: number;
      readonly reason: string;
      readonly note: string;
    }
  /** PagerDuty took a page: a refusal after it is said again, whatever its reason. */
  | { readonly type: 'incident.pager-taken' }
  | { readonly type: 'incident.ack'; readonly by: string }
  | { readonly type: 'incident.resolve'; readonly by: string; readonly note?: string }
  /** The rollback of the incident's deployment ended. */
  | {
      readonly type: 'incident.rollback-ended';
      readonly state: 'rolled_back' | 'rollback_failed' | 'aborted';
      readonly outcome: string;
    };

export type IncidentTopic =
  | { readonly kind: 'incident' }
  | { readonly kind: 'dm'; readonly person: string; readonly level: number; readonly repeat: number }
  | { readonly kind: 'page'; readonly level: number; readonly repeat: number }
  | { readonly kind: 'note'; readonly key: string; readonly text: string };

/** Effects of an incident transition; carried out at least once, so each is idempotent. */
export type IncidentEffect =
  | { readonly type: 'incident-post'; readonly topic: IncidentTopic }
  | { readonly type: 'incident-refresh'; readonly topic: IncidentTopic }
  | {
      readonly type: 'incident-timer';
      readonly page: LadderPage;
      readonly at: number;
      /** When the trigger fired again: a timer of its own, beside the one the clear left (whichever fires pages). */
      readonly refired?: number;
    }
  | {
      readonly type: 'page';
      readonly level: number;
      readonly repeat: number;
      readonly people: readonly string[];
      readonly via: readonly string[];
    }
  | { readonly type: 'pager-update'; readonly action: 'acknowledge' | 'resolve' }
  /** Run the runbook's emergency stop or logs command; its output comes back as `incident.emergency`. */
  | {
      readonly type: 'emergency-run';
      readonly which: 'stop' | 'logs';
      readonly by: string;
      readonly at: number;
    };

/**
 * Whether its pages are moot: someone answered, it was resolved, or its cause cleared (until it fires again). A
 * page that waited (for PagerDuty, for the chat) past this is not sent: it would call people for nothing.
 */
export function pagingStopped(incident: Incident): boolean {
  return incident.state !== 'open' || incident.cleared !== undefined;
}
