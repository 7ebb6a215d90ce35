/**
 * Which firing of which Alertmanager alert: the same string whether the webhook delivered it or the API was polled,
 * so an incident opened by either path knows its alerts when the other reports them again or resolved.
 */
import { createHash } from 'node:crypto';

/** What both paths see of an alert: the webhook's alerts and the API v2 alerts carry these fields. */
export interface AlertSeen {
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint?: string | undefined;
  readonly startsAt: string;
}

/**
 * `fingerprint@startsAt` (a hash of the labels where Alertmanager sends no fingerprint). Re-sends repeat it; an
 * alert that resolved and fires again has a new startsAt, and so counts again.
 */
export function alertIdentity(alert: AlertSeen): string {
  const labels = Object.entries(alert.labels).sort(([x], [y]) => (x < y ? -1 : 1));
  const which =
    alert.fingerprint ?? createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
  return `${which}@${alert.startsAt}`;
}

/**
 * What two identities are compared by: the webhook writes startsAt to the nanosecond, the API to the millisecond
 * (and either may use another zone), so the time is compared as the instant it names.
 */
export function alertKey(identity: string): string {
  const at = identity.lastIndexOf('@');
  if (at < 0) return identity;
  const instant = Date.parse(identity.slice(at + 1));
  return Number.isNaN(instant) ? identity : `${identity.slice(0, at)}@${instant}`;
}
