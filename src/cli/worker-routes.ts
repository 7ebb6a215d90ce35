/**
 * What a worker's HTTP server answers where Slack or Alertmanager was pointed at it by mistake: that it is a worker,
 * and which process takes those requests, instead of "no route".
 */

import { SLACK_EVENTS_PATH } from '../bot/slack/slack-app.ts';
import { clientAddress } from '../infra/http/http-forward.ts';
import type { HttpServer } from '../infra/http/http-server.ts';
import { createThrottledWarn } from '../jobs/throttled-log.ts';
import { explainRoute } from './serve-http.ts';

const WORKER = 'This is a preflight worker: it runs steps, checks and timers, and takes no requests from';

/** The answer to Slack's requests on a worker. */
export const WORKER_SLACK_EVENTS = `${WORKER} Slack. Point the Slack app's Request URLs (Slash Commands, Event Subscriptions, Interactivity) at POST ${SLACK_EVENTS_PATH} of preflight start, the process that runs the chat`;

/** The answer to Alertmanager's webhook on a worker. */
export const WORKER_ALERTMANAGER = `${WORKER} Alertmanager. Point the url of Alertmanager's webhook_configs entry at POST /webhooks/alertmanager of preflight start (Alertmanager does not retry this answer, so these alerts are lost)`;

/** Mounts the explanations, and logs each (at most every 30 s a path) so whoever reads the worker's log sees it too. */
export function explainWorkerRoutes(http: HttpServer, log: { warn(obj: object, msg: string): void }): void {
  const warn = createThrottledWarn(log);
  const explain = (methods: readonly string[], path: string, error: string) =>
    explainRoute(http, methods, path, error, (req) => warn(path, { path, from: clientAddress(req) }, error));
  explain(['GET', 'POST'], SLACK_EVENTS_PATH, WORKER_SLACK_EVENTS);
  explain(['POST'], '/webhooks/alertmanager', WORKER_ALERTMANAGER);
}
