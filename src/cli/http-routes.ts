/** Routes `preflight start` adds to the HTTP server: the Alertmanager webhook and the metrics it collects. */

import { handleAlerts } from '../commands/handle-alerts.ts';
import {
  DEPLOYMENT_STATES,
  FINAL_STATES,
  type Phase,
  type Platform,
  parseAlertmanagerPayload,
} from '../core/index.ts';
import { bearerCheck } from '../infra/http/bearer-check.ts';
import { clientAddress } from '../infra/http/http-forward.ts';
import { cutOff, HttpError, type HttpServer, readBody } from '../infra/http/http-server.ts';
import { jsonHeaderProblem } from '../infra/http/json-headers.ts';
import type { Metrics, WebhookOutcome } from '../infra/metrics.ts';
import type { Preflight } from '../main.ts';

/** What became of a webhook request, from its answer. */
function outcomeOf(status: number, body: unknown): WebhookOutcome {
  if (status === 401) return 'unauthorized';
  if (status === 413) return 'too_large';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid';
  const ignored = (body as { ignored?: readonly unknown[] } | null)?.ignored;
  return ignored && ignored.length > 0 ? 'left_out' : 'accepted';
}

function answer(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** What to do about an alert group too large to take: Alertmanager does not send a 4xx again. */
const SMALLER_GROUPS =
  "Alertmanager does not retry it, so these alerts are lost: set max_alerts in the webhook_configs entry for Preflight (e.g. max_alerts: 100; it sends at most that many alerts of a group, and says how many it left out in truncatedAlerts), or split the route's group_by";

/**
 * POST /webhooks/alertmanager: 2xx acknowledges (Alertmanager retries 5xx); malformed payloads get 400, and a body
 * not sent as application/json, as Alertmanager sends it, gets 415 (a web page could post one cross-site). With a
 * `token` (ALERTMANAGER_WEBHOOK_TOKEN), a request without `Authorization: Bearer <token>` gets 401 and changes
 * nothing: nobody who merely reaches the port can open incidents and page people.
 */
export function routeAlertmanager(
  http: HttpServer,
  preflight: Preflight,
  token?: string,
  counted: (outcome: WebhookOutcome) => void = () => {},
): void {
  const authorized = token === undefined ? () => true : bearerCheck(token);
  const handle = async (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => {
    const reply = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
      counted(outcomeOf(status, body));
      answer(res, status, body);
    };
    if (!authorized(req.headers.authorization)) {
      req.resume();
      preflight.logger.warn(
        { from: clientAddress(req) },
        'alertmanager webhook refused: no or wrong bearer token',
      );
      reply(res, 401, {
        error:
          "the webhook needs Authorization: Bearer <ALERTMANAGER_WEBHOOK_TOKEN>: set it in Alertmanager's webhook_config (http_config.authorization.credentials)",
      });
      return;
    }
    const notJson = jsonHeaderProblem(req.headers);
    if (notJson) {
      req.resume();
      preflight.logger.warn(
        { from: clientAddress(req), [notJson.header]: notJson.got },
        'alertmanager webhook refused: the body is not sent as plain application/json',
      );
      reply(res, 415, {
        error:
          notJson.header === 'Content-Type'
            ? `the webhook takes Content-Type: application/json, as Alertmanager sends it (got ${notJson.got})`
            : `the webhook takes an uncompressed body, as Alertmanager sends it (got Content-Encoding: ${notJson.got})`,
      });
      return;
    }
    const text = await readBody(req).catch((error: unknown) => {
      // Alertmanager does not retry a 4xx: the group is lost unless it is made smaller, so say how.
      if (error instanceof HttpError && error.status === 413)
        throw new HttpError(413, `${error.message}: ${SMALLER_GROUPS}`);
      throw error;
    });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      reply(res, 400, { error: 'the body is not JSON' });
      return;
    }
    const payload = parseAlertmanagerPayload(body);
    if ('error' in payload) {
      reply(res, 400, { error: payload.error });
      return;
    }
    // Alertmanager sends a webhook again after a 5xx: better than holding it until Redis is back.
    if (preflight.redis.status !== 'ready') {
      reply(res, 503, {
        error: 'Redis is unreachable; the alert was not recorded (Alertmanager will send it again)',
      });
      return;
    }
    const outcome = await handleAlerts(
      { engine: preflight.engine, notifier: preflight.chat.notifier },
      payload,
      alertOrigin(preflight),
    );
    preflight.logger.info(
      { groupKey: payload.groupKey, status: payload.status, ...outcome },
      'alertmanager webhook',
    );
    if (outcome.ignored)
      preflight.logger.warn(
        { groupKey: payload.groupKey, ignored: outcome.ignored },
        'alerts left out, each with why: fix the alert labels, or add what they name to the runbook',
      );
    reply(res, 200, outcome);
  };
  http.route('POST', '/webhooks/alertmanager', (req, res) =>
    // A request that ends in an error (a body too large, Redis failing mid-way) is counted by the answer it gets;
    // one whose body never arrived whole (too slow, cut off with 408; or the client left) is not Redis's doing.
    handle(req, res).catch((error: unknown) => {
      counted(
        cutOff(req) ? 'cut_off' : outcomeOf(error instanceof HttpError ? error.status : 500, undefined),
      );
      throw error;
    }),
  );
}

/** The chat an incident with no deployment is reported on: Slack, else Discord, else the terminal. */
function alertOrigin(preflight: Preflight): Platform {
  const ports = preflight.chat.ports;
  return ports.slack ? 'slack' : ports.discord ? 'discord' : 'console';
}

/**
 * The counters alert rules watch, at 0 for the runbooks' services and levels, this process's chats and, when it
 * pages through PagerDuty, every PagerDuty outcome.
 */
export function primeMetrics(metrics: Metrics, preflight: Preflight): void {
  const { runbooks } = preflight.engine;
  const services = runbooks.services();
  const levels = services.flatMap(
    (service) => runbooks.current(service)?.runbook.escalation.levels.map((level) => level.id) ?? [],
  );
  const known = services.flatMap((service) => {
    const runbook = runbooks.current(service)?.runbook;
    if (!runbook) return [];
    const phases: Phase[] = runbook.rollback?.steps.length ? ['deploy', 'rollback'] : ['deploy'];
    return [{ service, phases, gates: Object.keys(runbook.gates ?? {}).length > 0 }];
  });
  metrics.prime({
    services,
    levels: [...new Set(levels)],
    platforms: Object.keys(preflight.chat.ports),
    pagerduty: preflight.pagerDuty,
    runbooks: known,
  });
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** Gauges read on each scrape: job queue depths, chat queue depths, deployments by state, open incidents. */
export function collectMetrics(metrics: Metrics, preflight: Preflight): void {
  metrics.gauge(
    'preflight_queue_jobs',
    'Jobs in the work queues, by queue and state.',
    ['queue', 'state'],
    async () => {
      const queues = Object.values(preflight.jobs.queues);
      const counts = await Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES)));
      return queues.flatMap((q, i) =>
        JOB_STATES.map((state) => ({ labels: { queue: q.name, state }, value: counts[i]?.[state] ?? 0 })),
      );
    },
  );
  metrics.gauge(
    'preflight_queue_overdue_seconds',
    'How long past its time the earliest delayed job of each queue is (0 when none is due): a due job stays delayed until a worker of its queue takes it, so this grows while no worker does.',
    ['queue'],
    async () =>
      Object.entries(await preflight.jobs.overdueMs(Date.now())).map(([queue, ms]) => ({
        labels: { queue },
        value: ms / 1000,
      })),
  );
  metrics.gauge(
    'preflight_chat_queue_depth',
    'Chat messages waiting to be sent, by platform.',
    ['platform'],
    async () => {
      // Every platform this process sends to shows, at 0 when nothing waits, so the series never goes missing.
      const idle = Object.fromEntries(Object.keys(preflight.chat.ports).map((platform) => [platform, 0]));
      const depths = { ...idle, ...(await preflight.chat.queue.depthByPlatform()) };
      return Object.entries(depths).map(([platform, value]) => ({ labels: { platform }, value }));
    },
  );
  metrics.gauge(
    'preflight_deployments_active',
    'Deployments not yet finished, by state.',
    ['state'],
    async () => {
      const active = await preflight.engine.store.list({ activeOnly: true, limit: 1_000 });
      return DEPLOYMENT_STATES.filter((state) => !FINAL_STATES.includes(state)).map((state) => ({
        labels: { state },
        value: active.filter((d) => d.state === state).length,
      }));
    },
  );
  metrics.gauge(
    'preflight_incidents_open',
    'Incidents open or acknowledged, by state.',
    ['state'],
    async () => {
      const open = await preflight.engine.incidents.list({ openOnly: true, limit: 1_000 });
      return (['open', 'acknowledged'] as const).map((state) => ({
        labels: { state },
        value: open.filter((i) => i.state === state).length,
      }));
    },
  );
}
