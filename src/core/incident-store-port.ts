/** The incident store port: where incidents and their audit logs live (implemented in infra/redis). */
import type { AuditRecord } from './audit/audit-chain.ts';
import type { AuditEntry } from './deployment/effects.ts';
import type { Incident, IncidentEffect } from './incident/incident.ts';

/** One atomic incident write: compare-and-set on revision, audit records and effects. */
export interface IncidentCommit {
  readonly before: Incident | undefined;
  readonly after: Incident;
  readonly audit: readonly AuditEntry[];
  readonly effects: readonly IncidentEffect[];
  /** A person's ack or decision: durable on a replica too before the store returns (see Commit.confirms). */
  readonly confirms?: boolean;
  readonly at: number;
}

/** Where incidents and their audit logs live. */
export interface IncidentStore {
  get(id: string): Promise<Incident | undefined>;
  /**
   * The id the next new incident gets: `INC-1`, `INC-2`, … Nothing is taken until a commit writes an incident
   * under it, so an open that is refused uses up no number.
   */
  nextId(): Promise<string>;
  /**
   * Writes atomically. A new incident whose deployment (or service and environment, without a deployment)
   * already has an open one is not written: the answer names the open one, so concurrent triggers open one. Across
   * the two scopes too: a new deployment's incident is not written while one is declared for its service and
   * environment, nor a new declared one while a deployment there has one open (the latest is named). A new
   * incident under an id another took first is a `conflict`. An incident that becomes a deployment's (it was about
   * none) stops being its service's open incident and becomes the deployment's, unless the deployment already has
   * another one open: that one is named, and nothing is written.
   * A write that counts an Alertmanager alert firing anew (`alertsAddedBy`) is not written when that firing was
   * reported resolved (`noteAlerts(…, 'resolved')`): `resolved`. Otherwise those firings are remembered as counted in
   * the same write, so a 'resolved' that comes after it finds the incident, and one before it refuses it.
   */
  commit(
    commit: IncidentCommit,
  ): Promise<'committed' | 'conflict' | 'resolved' | { readonly exists: string }>;
  /** Most recent first. */
  list(filter: {
    readonly openOnly?: boolean;
    readonly service?: string;
    readonly limit?: number;
  }): Promise<Incident[]>;
  /** The incident still open for a deployment, if any. */
  openFor(deploymentId: string): Promise<Incident | undefined>;
  /** The incident still open for a service and environment without a deployment, if any. */
  openForService(service: string, environment: string): Promise<Incident | undefined>;
  /**
   * Which of these Alertmanager alert firings (`fingerprint@startsAt`, compared as alertKey) of a service and
   * environment were reported before: counted toward an incident, or reported resolved. Each firing counts once,
   * whether the webhook or the poll reports it; a firing still reported is remembered on.
   */
  reportedAlerts(
    service: string,
    environment: string,
    alerts: readonly string[],
  ): Promise<ReadonlySet<string>>;
  /**
   * Remembers these firings as counted toward an incident, or as reported resolved (for a week after the last
   * report). A firing reported resolved stays so: counting it again does not make it firing.
   */
  noteAlerts(
    service: string,
    environment: string,
    alerts: readonly string[],
    how: 'counted' | 'resolved',
  ): Promise<void>;
  /**
   * Alertmanager's webhook delivers these firings after it delivered their 'resolved' (it re-sends an alert that still
   * fires once Prometheus reaches it again): each firing here reported resolved stops being so (compared and cleared
   * atomically), and counts again like one never reported. A firing counted and not resolved since stays counted.
   */
  firingAgain(service: string, environment: string, alerts: readonly string[]): Promise<void>;
  /**
   * Remembers these firings (identity → alert name) of a trigger, seen in a notification with fewer alerts than its
   * `min`, and answers every firing remembered for it that is not reported since (counted, or reported resolved):
   * Alertmanager's `group_by` may split the alerts a trigger counts across notifications.
   */
  firingBelowMin(
    service: string,
    environment: string,
    trigger: string,
    alerts: Readonly<Record<string, string>>,
  ): Promise<Readonly<Record<string, string>>>;
  audit(id: string): Promise<AuditRecord[]>;
}
