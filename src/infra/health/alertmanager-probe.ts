/**
 * The `alertmanager` health check: how many active alerts carry the given labels, against a maximum. Probed for a
 * deployment, it counts only the alerts of its service and environment, by the rules the webhook uses
 * (`alertForService`, `alertEnvironment`).
 */
import * as z from 'zod';
import {
  type AlertEnvironmentScope,
  alertEnvironment,
  alertForService,
  alertIdentity,
  type HealthResult,
  namedEnvironment,
  namedService,
  type RunbookHealthCheck,
} from '../../core/index.ts';
import { buildApiUrl } from './build-api-url.ts';
import { fetchBounded, type ProbeContext } from './fetch-bounded.ts';
import { listSome } from './list-some.ts';
import { excerptOf, firstIssueOf } from './response-text.ts';

export type AlertmanagerProbe = NonNullable<RunbookHealthCheck['alertmanager']>;

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

// Alertmanager API v2 gettable alerts; only the fields the check reads are required.
const Alerts = z.array(
  z.object({
    labels: z.record(z.string(), z.string()),
    status: z.object({ state: z.string() }),
    fingerprint: z.string().optional(),
    startsAt: z.string().optional(),
  }),
);
type Alert = z.infer<typeof Alerts>[number];

/**
 * Passes when at most `max` (default 0) active alerts match every `match` label (and, when `environment` is given,
 * are about its runbook's service and that environment). Detail: `2 firing alerts match severity=critical:
 * ServiceDown (checkout-0:8080), HighLatency`, with ` in production` and the alerts of other services and
 * environments left out when scoped (`; not counted: 1 of db, 1 in staging`). `value` is the count.
 */
export async function probeAlertmanager(
  id: string,
  probe: AlertmanagerProbe,
  context: ProbeContext & { readonly baseUrl?: string; readonly environment?: AlertEnvironmentScope },
): Promise<HealthResult> {
  const base = probe.url ?? context.baseUrl;
  if (base === undefined) {
    return {
      id,
      passed: false,
      unknown: true,
      detail: 'ALERTMANAGER_URL is not set and the check has no url',
    };
  }
  const url = buildApiUrl(base, 'api/v2/alerts', [
    ['active', 'true'],
    ['silenced', 'false'],
    ['inhibited', 'false'],
    // Alertmanager filters on its side too, which keeps the answer small; the labels are checked again here.
    ...Object.entries(probe.match).map(
      ([name, value]) => ['filter', `${name}=${JSON.stringify(value)}`] as const,
    ),
  ]);
  if (url === undefined)
    return { id, passed: false, unknown: true, detail: `the Alertmanager URL ${base} is not an http(s) URL` };
  const response = await fetchBounded({
    ...context,
    url,
    maxBytes: MAX_ANSWER_BYTES,
    accept: 'application/json',
  });
  if (!response.ok) return { id, passed: false, unknown: true, detail: `Alertmanager: ${response.detail}` };
  const { status, body } = response;
  if (status < 200 || status >= 300) {
    return {
      id,
      passed: false,
      unknown: true,
      detail: `Alertmanager answered HTTP ${status}${excerptOf(body)}`,
    };
  }
  if (response.truncated)
    return { id, passed: false, unknown: true, detail: 'the Alertmanager answer is larger than 4 MB' };
  const alerts = parseAlerts(body);
  if (typeof alerts === 'string') return { id, passed: false, unknown: true, detail: alerts };
  const labelled = alerts.filter(
    (alert) => alert.status.state === 'active' && matchesLabels(alert, probe.match),
  );
  const scope = context.environment;
  // Why an alert that carries the labels is not this deployment's, as the webhook would leave it out; none: it counts.
  const leftOut = (alert: Alert): string | undefined => {
    if (scope === undefined) return undefined;
    if (!alertForService(scope.runbook, alert.labels, probe.match)) {
      const service = namedService(alert.labels);
      return service === undefined ? 'with no service or job label' : `of ${service}`;
    }
    const environment = alertEnvironment(scope.runbook, alert.labels, probe.match);
    if (environment === scope.name) return undefined;
    return `in ${environment ?? `${namedEnvironment(alert.labels) ?? '?'} (not in the runbook)`}`;
  };
  const matching = labelled.filter((a) => leftOut(a) === undefined);
  const others = labelled.flatMap((a) => leftOut(a) ?? []);
  const max = probe.max ?? 0;
  const count = matching.length;
  // Each alert named as the webhook names it, so an incident opened here knows them when the webhook reports them.
  const seen = matching.flatMap((a) =>
    a.startsAt === undefined ? [] : [alertIdentity({ ...a, startsAt: a.startsAt })],
  );
  return {
    id,
    passed: count <= max,
    detail: describeMatches(matching, probe.match, max, scope?.name) + describeOthers(others),
    value: count,
    ...(count > 0 && seen.length === count && { alerts: seen }),
  };
}

/** The alerts, or why the answer is not a list of alerts. */
function parseAlerts(body: string): Alert[] | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `Alertmanager answered without a list of alerts${excerptOf(body)}`;
  }
  const alerts = Alerts.safeParse(json);
  return alerts.success ? alerts.data : `unexpected answer from Alertmanager: ${firstIssueOf(alerts.error)}`;
}

function matchesLabels(alert: Alert, match: Readonly<Record<string, string>>): boolean {
  return Object.entries(match).every(([name, value]) => alert.labels[name] === value);
}

function describeMatches(
  matching: readonly Alert[],
  match: Readonly<Record<string, string>>,
  max: number,
  environment: string | undefined,
): string {
  const labels = Object.entries(match)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const where = environment === undefined ? '' : ` in ${environment}`;
  if (matching.length === 0)
    return labels === '' ? `no firing alerts${where}` : `no firing alerts match ${labels}${where}`;
  const one = matching.length === 1;
  const what = `${matching.length} firing alert${one ? '' : 's'}`;
  const head = labels === '' ? `${what}${where}` : `${what} ${one ? 'matches' : 'match'} ${labels}${where}`;
  const allowed = max > 0 ? ` (at most ${max} allowed)` : '';
  return `${head}: ${listSome(matching.map(nameAlert), ', ')}${allowed}`;
}

/**
 * `; not counted: 1 of db, 1 in staging, 2 in qa (not in the runbook)`: what matched but is another service's or
 * another environment's, counted by why.
 */
function describeOthers(reasons: readonly string[]): string {
  if (reasons.length === 0) return '';
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return `; not counted: ${listSome(
    [...counts].map(([r, n]) => `${n} ${r}`),
    ', ',
  )}`;
}

/** `ServiceDown (checkout-0:8080)`, `HighLatency` */
function nameAlert(alert: Alert): string {
  const name = alert.labels.alertname ?? alert.fingerprint ?? 'unnamed alert';
  const instance = alert.labels.instance;
  return instance === undefined ? name : `${name} (${instance})`;
}
