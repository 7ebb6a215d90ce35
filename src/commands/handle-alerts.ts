/**
 * Alertmanager webhooks: firing alerts that match a runbook's alertmanager trigger open an incident for the
 * service's most recent deployment (or the service when there is none). Re-sent notifications change nothing.
 */
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
      // Alertmanager re-sends a group until it resolves: once an incident was opened for it, a re-send of a
      // resolved incident's group opens nothing. The mark is set after the incident is open, never before, so a
      // crash in between loses nothing (the re-send joins the open incident as one more cause at most).
      const seenKey = `alertmanager:${service}:${payload.groupKey}`;
      if (!deployment && (await deduper.seen(seenKey))) continue;
      const outcome = await openIncidentFor(engine, {
        title: `${trigger.title ?? trigger.id}: ${firing.length} firing (${names})${deployment ? `, after ${deployment.id} (${deployment.version})` : ''}`,
        trigger: trigger.id,
        openedBy: 'preflight',
        health: firing
          .map((a) => `${a.labels.alertname ?? 'alert'} ${a.annotations.summary ?? ''}`.trim())
          .join('; '),
        ...(deployment ? { deploymentId: deployment.id } : { service, origin }),
      });
      if (!deployment && outcome.ok) await deduper.first(seenKey, 3600);
      if (outcome.ok && !outcome.existing) incidents.push(outcome.incident.id);
      break;
    }
  }
  return { matched, incidents };
}
