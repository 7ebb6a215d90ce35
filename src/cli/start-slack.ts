/**
 * Starts the Slack adapter for `preflight start`: checks the token, registers the Slack chat port, and in HTTP
 * mode mounts Bolt's request handling at POST /slack/events on Preflight's HTTP server (Socket Mode when
 * SLACK_APP_TOKEN is set). Call `preflight.chat.queue.start()` afterwards so queued messages begin to flow.
 */
import { openPrompts } from '../bot/open-prompts.ts';
import { createSlackApp, SLACK_EVENTS_PATH } from '../bot/slack/slack-app.ts';
import { guardSlackBodies } from '../bot/slack/slack-body-guard.ts';
import { refuseFutureRequests } from '../bot/slack/slack-clock-skew.ts';
import type { Config } from '../config/config.ts';
import { BODY_LIMIT, type HttpServer, readBodyBytes } from '../infra/http/http-server.ts';
import { StartupError } from '../infra/startup-error.ts';
import type { Preflight } from '../main.ts';
import { explainRoute } from './serve-http.ts';

/** How Slack is set up, in the words of the variables to set. */
export const SLACK_SETUP =
  'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack calls POST /slack/events), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode)';

/**
 * Where Slack does not call this server (no Slack configured, or Socket Mode), a request to /slack/events is told
 * why and what to set, not "no route": someone pasted this Request URL into Slack, or is checking the setup.
 */
export function explainSlackEvents(http: HttpServer, config: Pick<Config, 'slack'>): void {
  if (config.slack?.mode === 'http') return;
  const error =
    config.slack === undefined
      ? `Slack is not configured on this Preflight: set ${SLACK_SETUP}, and restart it`
      : 'Slack runs in Socket Mode on this Preflight (SLACK_APP_TOKEN is set): its events come over the WebSocket, not to /slack/events. To use this Request URL instead, unset SLACK_APP_TOKEN, set SLACK_SIGNING_SECRET and restart';
  explainRoute(http, ['GET', 'POST'], SLACK_EVENTS_PATH, error);
}

/** A started Slack adapter. */
export interface StartedSlack {
  stop(): Promise<void>;
  /** HTTP mode: the bot's own Slack user, for the ingress thread to tell the bot's reactions from people's. */
  readonly botUserId?: string | undefined;
}

/** Starts Slack when it is configured. */
export async function startSlack(
  preflight: Preflight,
  config: Pick<Config, 'slack'>,
  http: HttpServer,
): Promise<StartedSlack> {
  const slack = config.slack;
  if (!slack) return { stop: async () => {} };
  const log = preflight.logger.child({ chat: 'slack' });
  const { runbooks } = preflight.engine;
  const channelNames = () =>
    runbooks
      .services()
      .flatMap((service) => Object.values(runbooks.current(service)?.runbook.channels ?? {}));
  const app = createSlackApp({
    ...slack,
    dispatcher: preflight.chat.dispatcher,
    inbox: preflight.chat.inbox,
    log,
    redactor: preflight.redactor,
    queueAnswer: (delivery) => preflight.chat.queue.enqueue(delivery),
    channelNames,
    maxPayloadBytes: BODY_LIMIT,
    noticeLimit: preflight.chat.noticeLimit,
    prompts: () =>
      openPrompts(
        {
          store: preflight.engine.store,
          incidents: preflight.engine.incidents,
          index: preflight.chat.index,
          runbooks: preflight.engine.runbooks,
        },
        'slack',
      ),
    onFirstReadBack: (outcome) => preflight.chat.readBacks.done('slack', outcome),
  });
  try {
    await app.start();
  } catch (error) {
    // Slack or Discord out of reach or refusing: the world outside, as a Redis that refuses (exit 1).
    throw new StartupError((error as Error).message);
  }
  await app.prepareChannels(channelNames());
  preflight.chat.ports.slack = app.port;
  if (app.link) preflight.chat.links.slack = app.link;
  preflight.chat.inbox.serve('slack', app.handle);
  explainSlackEvents(http, config);
  if (app.requestListener && slack.mode === 'http') {
    const listener = guardSlackBodies(
      app.requestListener,
      slack.signingSecret,
      (req) => readBodyBytes(req),
      log,
    );
    http.route('POST', SLACK_EVENTS_PATH, refuseFutureRequests(listener));
  }
  log.info(
    { mode: app.mode, ...(app.mode === 'http' && { path: SLACK_EVENTS_PATH }) },
    app.mode === 'socket' ? 'Slack connected (Socket Mode)' : `Slack listening at POST ${SLACK_EVENTS_PATH}`,
  );
  return {
    stop: async () => {
      delete preflight.chat.ports.slack;
      delete preflight.chat.links.slack;
      await app.stop();
    },
    ...(app.mode === 'http' && { botUserId: await app.botUserId() }),
  };
}
