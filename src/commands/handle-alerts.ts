/**
 * Alertmanager webhooks: firing alerts that match a runbook's alertmanager trigger open an incident for the
 * service's most recent deployment (or the service when there is none). Re-sent notifications change nothing.
 */
import { createHash } from 'node:crypto';
import {
  type AlertmanagerPayload,
  type Deduper,
  type Deployment,
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

async function recentDeployment(
  services: CommandServices,
  service: string,
  now: number,
): Promise<Deployment | undefined> {
  const [latest] = await services.engine.store.list({ service, limit: 1 });
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
      const firing = countsFor(runbook, payload, trigger.alertmanager.match);
      matched += firing.length;
      if (firing.length < (trigger.min ?? 1)) continue;
      const names = [...new Set(firing.map((a) => a.labels.alertname ?? 'alert'))].join(', ');
      const deployment = await recentDeployment(services, service, now);
      // Alertmanager re-sends a group until it resolves: once an incident was opened for a firing episode, a
      // re-send of it opens nothing, even after that incident was resolved. The mark is set after the incident is
      // open, never before, so a crash in between loses nothing (the re-send joins the open incident at most).
      const seenKey = `alertmanager:${service}:${payload.groupKey}:${episodeOf(firing)}`;
      if (await deduper.seen(seenKey)) continue;
      const outcome = await openIncidentFor(engine, {
        title: `${trigger.title ?? trigger.id}: ${firing.length} firing (${names})${deployment ? `, after ${deployment.id} (${deployment.version})` : ''}`,
        trigger: trigger.id,
        openedBy: 'preflight',
        health: firing
          .map((a) => `${a.labels.alertname ?? 'alert'} ${a.annotations.summary ?? ''}`.trim())
          .join('; '),
        ...(deployment ? { deploymentId: deployment.id } : { service, origin }),
      });
      if (outcome.ok) await deduper.first(seenKey, EPISODE_TTL_S);
      if (outcome.ok && !outcome.existing) incidents.push(outcome.incident.id);
      break;
    }
  }
  return { matched, incidents };
}
