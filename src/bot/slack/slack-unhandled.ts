/**
 * What none of Preflight's listeners (slack-listeners.ts) takes: a shortcut (global or on a message), a form
 * closed (view_closed), a slash command whose name is not a plain word (`/déployer`), a menu asking for options, an
 * event Preflight does not read.
 * Bolt leaves these unanswered (over HTTP until its 3 s timeout, in Socket Mode for good) and Slack shows the
 * person an error. Here each is acknowledged at once and said in the log (its kind and name, never the payload);
 * a person waiting (a shortcut, a command) is told, only them, that nothing was done and what to use instead. The
 * note is sent after the answer, not awaited: over HTTP the 200 goes out only once the request is handled, and a
 * slow Slack must not hold it past the 3 s Slack waits (the person would see an error and the note); a note Slack
 * rate-limits or fails is posted again (slack-note.ts).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { sendNote } from './slack-note.ts';
import type { SlackLog } from './slack-types.ts';

/** The events slack-listeners.ts listens to; Slack sends others only when the app subscribes to more. */
export const EVENTS_READ: readonly string[] = ['reaction_added', 'reaction_removed', 'message'];

/** The slash command names the command listener takes. */
export const COMMAND_NAME = /^\/[\w-]+$/;

const HELP = 'use `/deploy help` to see what it does';
const EVENTS_SAID_MAX = 100;

type Loose = Record<string, unknown> & { user?: { id?: string }; user_id?: string };
type Ack = (response?: unknown) => Promise<void>;

/** `Preflight does not understand the command /déployer; nothing was done; use …`. */
export const notUnderstood = (what: string) =>
  `⚠️ Preflight does not understand ${what}; nothing was done; ${HELP}`;

/** Sends a person a direct message, paced with the chat port's posts to that channel. */
export type TellDirectly = (userId: string, text: string) => Promise<unknown>;

/** A global middleware: answers what no listener takes, and passes everything else on. */
export function answerUnhandledRequests(
  log: SlackLog,
  tellDirectly: TellDirectly,
): Middleware<AnyMiddlewareArgs> {
  const eventsSaid = new Set<string>();
  return async (args) => {
    const body = args.body as Loose;
    const { ack } = args as { ack?: Ack };
    const user = body.user?.id ?? body.user_id;
    const event = (body.event as { type?: unknown } | undefined)?.type;
    if (body.type === 'event_callback' && typeof event === 'string' && !EVENTS_READ.includes(event)) {
      // Bolt has answered it 200 already. Said once for each type: the app subscribes to more than Preflight reads.
      const first = !eventsSaid.has(event) && eventsSaid.size < EVENTS_SAID_MAX;
      if (first) eventsSaid.add(event);
      (first ? log.warn : log.debug).call(
        log,
        { event: event.slice(0, 60) },
        'Slack sent an event Preflight does not read; nothing done (the app subscribes to more events than slack-manifest.yaml lists; later ones of this type are logged at debug)',
      );
      return;
    }
    if (typeof body.command === 'string' && !COMMAND_NAME.test(body.command)) {
      log.warn({ command: body.command, user }, 'Slack command not understood (not a /word name); answered');
      return ack?.({ response_type: 'ephemeral', text: notUnderstood(`the command ${body.command}`) });
    }
    if (body.type === 'shortcut' || body.type === 'message_action') {
      const name = String(body.callback_id ?? '');
      log.warn({ shortcut: name, kind: body.type, user }, 'Slack shortcut Preflight does not have; answered');
      await ack?.();
      const text = notUnderstood(`the shortcut ${name || '(unnamed)'}`);
      // A message shortcut can answer in its channel; a global one only in a direct message.
      const said =
        typeof body.response_url === 'string'
          ? sendNote(body.response_url, { response_type: 'ephemeral', replace_original: false, text })
          : user && tellDirectly(user, text);
      // Not awaited: over HTTP Slack's 200 goes out once the request is handled, and must not wait for the note.
      void Promise.resolve(said).catch((error: unknown) =>
        log.warn({ err: (error as Error).message }, 'could not answer a Slack shortcut'),
      );
      return;
    }
    if (body.type === 'view_closed') {
      log.debug({ view: (body.view as Loose | undefined)?.callback_id, user }, 'Slack form closed; answered');
      return ack?.();
    }
    if (body.type === 'block_suggestion') {
      log.warn({ action: body.action_id, user }, 'Slack asked for menu options Preflight has none of');
      return ack?.({ options: [] });
    }
    await args.next();
  };
}
