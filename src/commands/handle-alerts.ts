/**
 * Alertmanager webhooks: firing alerts that match a runbook's alertmanager trigger open an incident for the most
 * recent deployment of the service in the alert's environment (or the service there when there is none).
 * Re-sent notifications change nothing.
 */
import { createHash } from 'node:crypto';
import {
  type AlertmanagerPayload,
  type Deduper,
  type Deployment,
  defaultEnvironment,
  openIncidentFor,
  type Platform,
  type Runbook,
} from '../core/index.ts';
import type { CommandServices } from './command.ts';

export interface AlertsOutcome {
  readonly matched: number;
  readonly incidents: readonly string[];
}

const RECENT_MS = 24 * 3_600_000;
/** How long a firing episode is remembered: Alertmanager re-sends a group every repeat_interval (4 h by default). */
const EPISODE_TTL_S = 7 * 86_400;

type Alert = AlertmanagerPayload['alerts'][number];

/**
 * One firing episode of a group: which alerts fire and since when. Alertmanager's re-sends repeat it; an alert that
 * resolved and fires again starts a new one (a new startsAt), and so may open a new incident.
 */
function episodeOf(firing: readonly Alert[]): string {
  const alerts = firing
    .map((a) => {
      const labels = Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : 1));
      return `${a.fingerprint ?? JSON.stringify(labels)}@${a.startsAt}`;
    })
    .sort();
  return createHash('sha256').update(alerts.join('\n')).digest('hex').slice(0, 32);
}

function countsFor(runbook: Runbook, payload: AlertmanagerPayload, match: Readonly<Record<string, string>>) {
  return payload.alerts.filter(
    (a) =>
      a.status === 'firing' &&
      Object.entries(match).every(([k, v]) => a.labels[k] === v) &&
      (match.service !== undefined ||
        a.labels.service === runbook.service ||
        a.labels.job === runbook.service),
  );
}

/** Deployments of a service looked through for the latest one in an environment. */
const LOOK_BACK = 50;

/**
 * The environment an alert is about: its `environment` or `env` label (or the trigger's match) when the runbook has
 * it, else the runbook's default one. A production alert never lands on a staging deployment.
 */
function environmentOf(runbook: Runbook, alert: Alert, match: Readonly<Record<string, string>>): string {
  for (const named of [alert.labels.environment, alert.labels.env, match.environment, match.env])
    if (named !== undefined && runbook.environments[named] !== undefined) return named;
  return defaultEnvironment(runbook) ?? Object.keys(runbook.environments)[0] ?? '';
}

async function recentDeployment(
  services: CommandServices,
  service: string,
  environment: string,
  now: number,
): Promise<Deployment | undefined> {
  const recent = await services.engine.store.list({ service, limit: LOOK_BACK });
  const latest = recent.find((d) => d.environment === environment);
  if (!latest) return undefined;
  return now - (latest.finishedAt ?? latest.requestedAt) < RECENT_MS || latest.state === 'monitoring'
    ? latest
    : undefined;
}

/** Opens incidents for matching firing alerts; returns what it did (for the webhook's reply and the log). */
export async function handleAlerts(
  services: CommandServices,
  deduper: Deduper,
  payload: AlertmanagerPayload,
  /** Where an incident with no deployment behind it is reported: the chat this bot is connected to. */
  origin: Platform = 'console',
): Promise<AlertsOutcome> {
  const { engine } = services;
  const now = engine.clock.now();
  const incidents: string[] = [];
  let matched = 0;
  for (const service of engine.runbooks.services()) {
    const runbook = engine.runbooks.current(service)?.runbook;
    for (const trigger of runbook?.rollback?.triggers ?? []) {
      if (!runbook || !trigger.alertmanager) continue;
      const { match } = trigger.alertmanager;
      const all = countsFor(runbook, payload, match);
      matched += all.length;
      const byEnvironment = Map.groupBy(all, (a) => environmentOf(runbook, a, match));
      let handled = false;
      for (const [environment, firing] of byEnvironment) {
        if (firing.length < (trigger.min ?? 1)) continue;
        handled = true;
        const names = [...new Set(firing.map((a) => a.labels.alertname ?? 'alert'))].join(', ');
        const deployment = await recentDeployment(services, service, environment, now);
        // Alertmanager re-sends a group until it resolves: once an incident was opened for a firing episode, a
        // re-send of it opens nothing, even after that incident was resolved. The mark is set after the incident
        // is open, never before, so a crash in between loses nothing (the re-send joins the open incident at most).
        const seenKey = `alertmanager:${service}:${payload.groupKey}:${episodeOf(firing)}`;
        if (await deduper.seen(seenKey)) continue;
        const outcome = await openIncidentFor(engine, {
          title: `${trigger.title ?? trigger.id}: ${firing.length} firing (${names})${deployment ? `, after ${deployment.id} (${deployment.version})` : ''}`,
          trigger: trigger.id,
          openedBy: 'preflight',
          health: firing
            .map((a) => `${a.labels.alertname ?? 'alert'} ${a.annotations.summary ?? ''}`.trim())
            .join('; '),
          ...(deployment ? { deploymentId: deployment.id } : { service, environment, origin }),
        });
        if (outcome.ok) await deduper.first(seenKey, EPISODE_TTL_S);
        if (outcome.ok && !outcome.existing) incidents.push(outcome.incident.id);
      }
      if (handled) break;
    }
  }
  return { matched, incidents };
}
