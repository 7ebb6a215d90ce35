/**
 * Bolt's HTTPReceiver, answering at once what no listener answered. Bolt leaves such a request (an interactive
 * payload of a type it cannot place, a legacy dialog or attachment button, a JSON body of an unknown type) without
 * an answer until its 3 s timeout and then answers 404, and Slack shows the person an error. Here, once the app is
 * done with the request (with processBeforeResponse its listeners have run), it is answered 200 with nothing to do
 * and said once in the log: its kind and the person, never the payload (it carries a response_url and a token).
 * A request whose handling failed is left to the app's error handler (a 500, for Slack to send it again).
 */
import { type App, HTTPReceiver, type Logger, type ReceiverEvent } from '@slack/bolt';
import { describeSlackBody } from './slack-payload-check.ts';
import type { SlackLog } from './slack-types.ts';

export interface HttpReceiverOptions {
  readonly signingSecret: string;
  readonly endpoint: string;
  /** Bolt's own lines. */
  readonly logger: Logger;
  readonly log: SlackLog;
}

/** What the receiver hands the app: only processEvent is called. */
function answeringUnanswered(app: App, log: SlackLog): App {
  const processEvent = async (event: ReceiverEvent) => {
    let answered = false;
    await app.processEvent({
      ...event,
      ack: async (response) => {
        answered = true;
        await event.ack(response);
      },
    });
    if (answered) return;
    log.warn(
      { request: describeSlackBody(event.body) },
      'Slack request of a kind Preflight does not handle; answered 200, nothing done',
    );
    await event.ack();
  };
  return Object.assign(Object.create(app) as App, { processEvent });
}

/** The receiver for POST /slack/events: signatures and timestamps checked by Bolt, every request answered at once. */
export function createHttpReceiver(options: HttpReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: options.endpoint,
    // The 200 waits for the listener, which only records the request in the inbox (Redis, ~1 ms).
    processBeforeResponse: true,
    logger: options.logger,
  });
  const init = receiver.init.bind(receiver);
  receiver.init = (app) => init(answeringUnanswered(app, options.log));
  return receiver;
}
