/**
 * Bolt listeners: each Slack payload becomes an inbox entry, recorded durably before Slack gets its answer (over
 * HTTP the app runs with processBeforeResponse, so an event's 200 waits for its listener; in Socket Mode
 * socket-receiver.ts holds an event's ack until its listener is done). The work itself happens when the inbox
 * hands the entry to a process serving Slack (slack-inbox.ts). When recording fails, an event is answered 500 (in
 * Socket Mode: not acknowledged) so Slack delivers it again (a click then shows Slack's warning), and a command
 * is answered with what to do.
 */
import type { App } from '@slack/bolt';
import {
  BUTTON_ACTIONS,
  type ButtonAction,
  type ChatInbox,
  escapeRegExp,
  type InboxEntry,
} from '../../core/index.ts';
import { actionOf } from './slack-blocks.ts';
import { commandEntry, recordOrSay, typedText } from './slack-command-record.ts';
import {
  type DeletedThreads,
  type DeletionFields,
  deletedFirstMessage,
  deletedMessage,
} from './slack-deleted-threads.ts';
import { sendNote } from './slack-note.ts';
import { microsOf, type ReactionEventFields, reactionEntry } from './slack-reaction-record.ts';
import type { SlackLog } from './slack-types.ts';
import { answerUnhandledRequests, COMMAND_NAME, type TellDirectly } from './slack-unhandled.ts';

export interface SlackListenerDeps {
  readonly inbox: Pick<ChatInbox, 'record'>;
  readonly log: SlackLog;
  /** How a global shortcut's note reaches its person (a direct message, paced per channel). */
  readonly tellDirectly: TellDirectly;
  /** Where the first messages people deleted are remembered, so no post goes into their threads. */
  readonly deletedThreads?: Pick<DeletedThreads, 'remember'>;
}

const ACTION_ID = new RegExp(`^(?:${BUTTON_ACTIONS.map(escapeRegExp).join('|')})(?:#\\d+)?$`);
const isButtonAction = (name: string): name is ButtonAction =>
  (BUTTON_ACTIONS as readonly string[]).includes(name);

/** Marks a failure to record, so the app's error handler turns it into a 500 for Slack to retry. */
export class InboxUnavailable extends Error {
  constructor(cause: unknown) {
    super(`inbox unavailable: ${(cause as Error).message}`);
    this.name = 'InboxUnavailable';
  }
}

/** A message event's fields, read loosely: Slack's message union has dozens of subtypes. */
interface LooseMessage extends DeletionFields {
  readonly subtype?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly channel?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly text?: string;
}

/** The subtypes of a message a person writes (others are edits, deletions, joins, bots …). */
const PERSON_SUBTYPES: ReadonlySet<string> = new Set(['thread_broadcast', 'file_share']);

/** Registers Preflight's listeners on a Bolt app. */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { inbox, log } = deps;

  /** Records; undefined when recorded, else what to tell the person. */
  const tryRecord = recordOrSay(inbox, log);
  /** Events: a failure propagates, and Slack gets a 500 and sends the event again (applied once, by its id). */
  const record = async (entry: InboxEntry) => {
    if ((await tryRecord(entry)) !== undefined) throw new InboxUnavailable(new Error(entry.id));
  };

  app.use(answerUnhandledRequests(log, deps.tellDirectly));

  app.command(COMMAND_NAME, async ({ command, ack }) => {
    const problem = await tryRecord(commandEntry(command));
    await (problem === undefined ? ack() : ack(problem));
  });

  app.action(ACTION_ID, async ({ ack, body, action }) => {
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return ack();
    const name = actionOf(action.action_id);
    if (!isButtonAction(name)) return ack();
    const container = (body as { container?: { channel_id?: string; message_ts?: string } }).container;
    const messageId = container?.message_ts ?? body.message?.ts;
    // Slack does not send a click again: a failure is acknowledged and said to the person, not a 500.
    const problem = await tryRecord({
      platform: 'slack',
      id: `action:${action.action_ts}:${body.user.id}:${action.action_id}`,
      userId: body.user.id,
      channel: body.channel?.id ?? container?.channel_id ?? '',
      event: {
        type: 'button',
        action: name,
        value: action.value ?? '',
        ...(messageId !== undefined && { messageId }),
      },
      ...(body.response_url !== undefined && { replyTo: body.response_url, receivedAt: Date.now() }),
    });
    await ack();
    // Not awaited, as every note after an answer (slack-unhandled.ts): Slack's 200 must not wait for it.
    if (problem !== undefined && body.response_url !== undefined)
      void sendNote(body.response_url, {
        response_type: 'ephemeral',
        replace_original: false,
        text: problem,
      }).catch((error: unknown) =>
        log.warn({ err: (error as Error).message }, 'could not say a click was not recorded'),
      );
  });

  // Anything else clicked or submitted (a button of an older version, a form Preflight never opened) is answered,
  // so Slack shows no error and Bolt logs no unanswered request; the person is told it did nothing.
  app.action(/.*/, async ({ ack, action, body }) => {
    // A known button is the listener's above (Bolt runs every listener that matches; one acknowledges).
    if (ACTION_ID.test((action as { action_id?: string }).action_id ?? '')) return;
    await ack();
    const url = (body as { response_url?: unknown }).response_url;
    if (typeof url !== 'string') return;
    void sendNote(url, {
      response_type: 'ephemeral',
      replace_original: false,
      text: '⚠️ this button is not understood (it may be from an older version of Preflight); nothing was done',
    }).catch((error: unknown) =>
      log.warn({ err: (error as Error).message }, 'could not answer an unknown button'),
    );
  });
  app.view(/.*/, async ({ ack }) => {
    await ack();
  });

  const onReaction = async (
    event: ReactionEventFields,
    eventId: string,
    added: boolean,
    retryNum: number | undefined,
    botUserId: string | undefined,
  ) => {
    const entry = reactionEntry(event, eventId, added, botUserId);
    if (entry === undefined) return;
    if (retryNum !== undefined) log.debug({ eventId, retry: retryNum }, 'Slack redelivered an event');
    await record(entry);
  };

  app.event('reaction_added', ({ event, body, context }) =>
    onReaction(event, body.event_id, true, context.retryNum, context.botUserId),
  );
  app.event('reaction_removed', ({ event, body, context }) =>
    onReaction(event, body.event_id, false, context.retryNum, context.botUserId),
  );

  app.event('message', async ({ event, body }) => {
    const m = event as LooseMessage;
    const deleted = deletedMessage(m);
    if (deleted !== undefined && m.channel) {
      const first = deletedFirstMessage(m);
      // Remembered before Slack gets its answer; a failure is a 500, and Slack sends the event again.
      if (first !== undefined)
        await deps.deletedThreads?.remember(m.channel, first).catch((error: unknown) => {
          throw new InboxUnavailable(error);
        });
      // Slack names nobody: a prompt of Preflight's deleted there is posted again (bot/message-deleted.ts).
      await record({
        platform: 'slack',
        id: body.event_id,
        userId: '',
        channel: m.channel,
        event: { type: 'message-deleted', messageId: deleted },
      });
      return;
    }
    // A person's reply: plain, also sent to the channel, or with a file (a screenshot with the reason under it).
    const fromPerson = (m.subtype === undefined || PERSON_SUBTYPES.has(m.subtype)) && !m.bot_id;
    if (!fromPerson || !m.user || !m.channel || !m.thread_ts || m.thread_ts === m.ts) return;
    const at = microsOf(m.ts);
    await record({
      platform: 'slack',
      id: body.event_id,
      userId: m.user,
      channel: m.channel,
      event: {
        type: 'thread-message',
        threadId: m.thread_ts,
        text: typedText(m.text ?? ''),
        ...(at !== undefined && { at }),
      },
    });
  });

  app.error(async (error) => {
    const cause = (error as { original?: unknown }).original ?? error;
    // Rethrown: the receiver then answers 500 (Socket Mode: does not acknowledge) and Slack delivers it again.
    if (cause instanceof InboxUnavailable || error instanceof InboxUnavailable) throw error;
    log.error({ err: error }, 'Slack listener failed');
  });
}
