/** Warns about prometheus/alertmanager checks and triggers that have no URL from the runbook or the environment. */
import type { PathProblem } from './diagnostic.ts';
import type { Runbook } from './schema.ts';

/** Which base URLs the environment sets (PROMETHEUS_URL, ALERTMANAGER_URL). */
export interface MonitoringUrls {
  readonly prometheus: boolean;
  readonly alertmanager: boolean;
}

const why = (name: string) =>
  `has no url and ${name} is not set: its result would always be unknown, so it could never fire or pass; add url: or set ${name}`;

/** One warning per check or trigger whose Prometheus or Alertmanager cannot be reached for want of a URL. */
export function checkMonitoringUrls(runbook: Runbook, urls: MonitoringUrls): PathProblem[] {
  const problems: PathProblem[] = [];
  const warn = (path: (string | number)[], id: string, name: string) =>
    problems.push({ path, severity: 'warning', atKey: true, message: `${id} ${why(name)}` });
  for (const [i, check] of (runbook.health ?? []).entries()) {
    if (check.prometheus && !check.prometheus.url && !urls.prometheus)
      warn(['health', i, 'prometheus'], `health check ${check.id}`, 'PROMETHEUS_URL');
    if (check.alertmanager && !check.alertmanager.url && !urls.alertmanager)
      warn(['health', i, 'alertmanager'], `health check ${check.id}`, 'ALERTMANAGER_URL');
  }
  for (const [i, trigger] of (runbook.rollback?.triggers ?? []).entries()) {
    if (trigger.prometheus && !trigger.prometheus.url && !urls.prometheus)
      warn(['rollback', 'triggers', i, 'prometheus'], `trigger ${trigger.id}`, 'PROMETHEUS_URL');
    if (trigger.alertmanager && !trigger.alertmanager.url && !urls.alertmanager)
      problems.push({
        path: ['rollback', 'triggers', i, 'alertmanager'],
        severity: 'warning',
        atKey: true,
        message: `trigger ${trigger.id} has no url and ALERTMANAGER_URL is not set: only Alertmanager's webhook (POST /webhooks/alertmanager) can fire it, and it cannot be re-checked before each page; add url: or set ALERTMANAGER_URL`,
      });
  }
  return problems;
}
