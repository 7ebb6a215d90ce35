/**
 * Alertmanager webhooks: firing alerts that match a runbook's alertmanager trigger open an incident for the most
 * recent deployment of the service in the alert's environment (or the service there when there is none). Each alert
 * counts once: a re-send, or what is left of a group when some of its alerts resolved, opens nothing; another alert
 * while an incident is open is added to it as a cause (whatever opened it: alerts, a health check, a person's
 * declaration) and fires on it. Alerts reported resolved leave their incident, and when none
 * is left paging stops, as after a clean re-check (Alertmanager may not be reachable for one), unless another cause
 * (a health check, a declaration) holds it open: the answer says which (`stillOpen`), never that it resolved. An alert naming an
 * environment the runbook does not have is not guessed at: it is left out, and the reply says so. One notification
 * may group alerts of several triggers, some recovering as others start: each trigger counts its own, and firing
 * alerts count before resolved ones, so an incident with an alert still firing never reads as over meanwhile.
 * A list Alertmanager cut (`truncatedAlerts`) below a trigger's `min` whose cut alerts could reach it opens the
 * incident, saying so, unless a deployment in monitoring polls the whole count.
 */
import {
  type AlertmanagerPayload,
  alertEnvironment,
  alertForService,
  alertIdentity,
  alertsResolvedStanding,
  applyIncidentEvent,
  type Deployment,
  hasStartedAStep,
  isFinal,
  namedEnvironment,
  namedService,
  openIncidentFor,
  openIncidentOf,
  type Platform,
  type Runbook,
} from '../core/index.ts';
import type { CommandServices } from './command.ts';

export interface AlertsOutcome {
  readonly matched: number;
  readonly incidents: readonly string[];
  /** Incidents all of whose alerts Alertmanager reported resolved, with nothing else holding them: paging stops. */
  readonly resolved?: readonly string[];
  /**
   * Incidents all of whose alerts Alertmanager reported resolved that stay open for another cause (`openFor`: the
   * triggers of those causes, `manual` for a person's declaration).
   */
  readonly stillOpen?: readonly { readonly incident: string; readonly openFor: readonly string[] }[];
  /** Alerts left out, with why (an environment the runbook does not have). */
  readonly ignored?: readonly string[];
}

const RECENT_MS = 24 * 3_600_000;
type Alert = AlertmanagerPayload['alerts'][number];

const nameOf = (a: Alert) => a.labels.alertname ?? 'alert';
/** At most `shown` items in words, and how many more: a storm of alerts is not a wall of text above who is paged. */
function listed(items: readonly string[], shown: number, separator: string): string {
  const more = items.length - shown;
  return more > 0
    ? `${items.slice(0, shown).join(separator)}${separator}… and ${more} more`
    : items.join(separator);
}

const namesOf = (alerts: readonly Alert[]) => listed([...new Set(alerts.map(nameOf))], 5, ', ');

function matching(
  runbook: Runbook,
  payload: AlertmanagerPayload,
  match: Readonly<Record<string, string>>,
  status: 'firing' | 'resolved',
) {
  return payload.alerts.filter(
    (a) =>
      a.status === status &&
      Object.entries(match).every(([k, v]) => a.labels[k] === v) &&
      alertForService(runbook, a.labels, match),
  );
}

/** Deployments of a service looked through for the latest one in an environment. */
const LOOK_BACK = 50;

async function recentDeployment(
  services: CommandServices,
  service: string,
  environment: string,
  now: number,
): Promise<Deployment | undefined> {
  const recent = await services.engine.store.list({ service, limit: LOOK_BACK });
  // The one whose version is live there: a deployment that has started no step has deployed nothing.
  const latest = recent.find((d) => d.environment === environment && hasStartedAStep(d));
  if (!latest) return undefined;
  // One still going (monitored, rolling back again) is recent however long ago it was asked for.
  return now - (latest.finishedAt ?? latest.requestedAt) < RECENT_MS || !isFinal(latest) ? latest : undefined;
}

/** One trigger's firing alerts in one environment. */
interface Firing {
  readonly trigger: NonNullable<NonNullable<Runbook['rollback']>['triggers']>[number];
  readonly environment: string;
  readonly alerts: Alert[];
}

/**
 * Firing alerts that carry the labels of some runbook's alert trigger but name no service (no `service` nor `job`
 * label), so no runbook counted them: whose they are cannot be told, and they are named rather than dropped unsaid.
 */
function nameless(
  engine: CommandServices['engine'],
  payload: AlertmanagerPayload,
  matched: ReadonlySet<Alert>,
): Alert[] {
  const matches = engine.runbooks
    .services()
    .flatMap((service) => engine.runbooks.current(service)?.runbook.rollback?.triggers ?? [])
    .flatMap((trigger) => (trigger.alertmanager ? [trigger.alertmanager.match] : []));
  return payload.alerts.filter(
    (a) =>
      a.status === 'firing' &&
      !matched.has(a) &&
      namedService(a.labels) === undefined &&
      matches.some((match) => Object.entries(match).every(([k, v]) => a.labels[k] === v)),
  );
}

/** Opens incidents for matching firing alerts and clears those whose alerts resolved; returns what it did. */
export async function handleAlerts(
  services: CommandServices,
  payload: AlertmanagerPayload,
  /** Where an incident with no deployment behind it is reported: the chat this bot is connected to. */
  origin: Platform = 'console',
): Promise<AlertsOutcome> {
  const { engine } = services;
  const now = engine.clock.now();
  const incidents: string[] = [];
  const resolved: string[] = [];
  const stillOpen: { incident: string; openFor: string[] }[] = [];
  const ignored = new Map<Alert, string>();
  const matched = new Set<Alert>();
  for (const service of engine.runbooks.services()) {
    const runbook = engine.runbooks.current(service)?.runbook;
    if (!runbook) continue;
    // Every trigger counts its alerts (one payload groups alerts of several rules); an alert two triggers match
    // counts once, for the first that opens or joins an incident with it (the store remembers it counted).
    const firings: Firing[] = [];
    const ended = new Map<string, Set<Alert>>();
    for (const trigger of runbook.rollback?.triggers ?? []) {
      if (!trigger.alertmanager) continue;
      const { match } = trigger.alertmanager;
      const byEnvironment = new Map<string, Alert[]>();
      for (const a of [
        ...matching(runbook, payload, match, 'firing'),
        ...matching(runbook, payload, match, 'resolved'),
      ]) {
        const environment = alertEnvironment(runbook, a.labels, match);
        if (environment === undefined) {
          ignored.set(
            a,
            `${nameOf(a)}: ${service} has no environment "${namedEnvironment(a.labels)}" in its runbook`,
          );
          continue;
        }
        if (a.status === 'resolved') {
          ended.set(environment, (ended.get(environment) ?? new Set()).add(a));
          continue;
        }
        matched.add(a);
        byEnvironment.set(environment, [...(byEnvironment.get(environment) ?? []), a]);
      }
      for (const [environment, alerts] of byEnvironment) firings.push({ trigger, environment, alerts });
    }
    const deployments = new Map<string, Promise<Deployment | undefined>>();
    const deploymentIn = (environment: string) => {
      const found = deployments.get(environment) ?? recentDeployment(services, service, environment, now);
      deployments.set(environment, found);
      return found;
    };
    // Firing first: an alert that starts while another recovers joins the incident before the other's 'resolved'
    // is counted, so the incident never reads as over (paging stopped, then resumed a level up at once) meanwhile.
    // Alerts of the group cut by max_alerts: they may match or have resolved, so they are named, not counted.
    const leftOut = payload.truncatedAlerts ?? 0;
    const more = leftOut > 0 ? ` and ${leftOut} more Alertmanager left out` : '';
    for (const { trigger, environment, alerts } of firings) {
      const min = trigger.min ?? 1;
      const deployment = await deploymentIn(environment);
      // Fewer listed than the minimum, but the cut ones could reach it: a deployment in monitoring polls the whole
      // count; with none watching, nothing else will judge it, so it opens, saying why, rather than stay silent.
      const cutBelow = alerts.length < min && alerts.length + leftOut >= min;
      // Below the minimum with none watching: Alertmanager's group_by may have sent the others in notifications of
      // their own, so the ones still firing of those count too (firingBelowMin remembers them).
      let earlier: [string, string][] = [];
      if (alerts.length < min && !(cutBelow && deployment?.state !== 'monitoring')) {
        if (deployment?.state === 'monitoring') continue;
        const seen = Object.fromEntries(alerts.map((a) => [alertIdentity(a), nameOf(a)]));
        const firing = await engine.incidents.firingBelowMin(service, environment, trigger.id, seen);
        earlier = Object.entries(firing).filter(([id]) => !Object.hasOwn(seen, id));
        if (alerts.length + earlier.length < min) continue;
      }
      const unjudged = cutBelow ? ` (min ${min}: the list was cut, so the count could not be judged)` : '';
      // A firing delivered after its 'resolved' fires again (Alertmanager re-sends an alert still active once
      // Prometheus reaches it again); the poll, which lags, does not do this. Each firing counts once otherwise,
      // whichever path reports it (openIncidentFor keeps the rule); the title and health name the ones not reported.
      await engine.incidents.firingAgain(service, environment, alerts.map(alertIdentity));
      const reported = await engine.incidents.reportedAlerts(service, environment, alerts.map(alertIdentity));
      const fresh = alerts.filter((a) => !reported.has(alertIdentity(a)));
      if (fresh.length === 0) continue;
      const names = listed([...new Set([...fresh.map(nameOf), ...earlier.map(([, name]) => name)])], 5, ', ');
      const outcome = await openIncidentFor(engine, {
        title: `${trigger.title ?? trigger.id}: ${alerts.length + earlier.length} firing (${names})${more}${unjudged}${deployment ? `, after ${deployment.id} (${deployment.version})` : ''}`,
        trigger: trigger.id,
        openedBy: 'preflight',
        health: listed(
          fresh.map((a) => `${nameOf(a)} ${a.annotations.summary ?? ''}`.trim()),
          10,
          '; ',
        ),
        alerts: [...fresh.map(alertIdentity), ...earlier.map(([id]) => id)],
        ...(deployment ? { deploymentId: deployment.id } : { service, environment, origin }),
      });
      if (outcome.ok && !outcome.existing) incidents.push(outcome.incident.id);
    }
    for (const [environment, alerts] of ended) {
      const gone = [...alerts];
      const deployment = await deploymentIn(environment);
      const where = { service, environment, ...(deployment && { deploymentId: deployment.id }) };
      // Reported resolved: a poll that still sees them (Alertmanager's API lags its webhooks) counts them no more.
      await engine.incidents.noteAlerts(service, environment, gone.map(alertIdentity), 'resolved');
      const open = await openIncidentOf(engine, where);
      if (open?.alerts === undefined) continue;
      const outcome = await applyIncidentEvent(engine, open.id, {
        type: 'incident.alerts-resolved',
        alerts: gone.map(alertIdentity),
        names: namesOf(gone),
      });
      // Resolved: every alert of the incident is and nothing else holds it; part of them recovering leaves it
      // firing, and another cause (a health check, a declaration) keeps it open: said as such, never resolved.
      if (!outcome.ok || outcome.incident.revision === open.revision) continue;
      const standing = alertsResolvedStanding(outcome.incident);
      if (standing.kind === 'alerts-resolved') resolved.push(open.id);
      if (standing.kind === 'open-for')
        stillOpen.push({ incident: open.id, openFor: standing.causes.map((c) => c.trigger) });
    }
  }
  for (const a of nameless(engine, payload, matched))
    ignored.set(
      a,
      `${nameOf(a)}: it has no service or job label, so Preflight cannot tell which service it is about; add a service label to its alert rule`,
    );
  return {
    matched: matched.size,
    incidents,
    ...(resolved.length > 0 && { resolved }),
    ...(stillOpen.length > 0 && { stillOpen }),
    ...(ignored.size > 0 && { ignored: [...ignored.values()] }),
  };
}
