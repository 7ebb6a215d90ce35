/**
 * Bolt listeners: Slack payloads in, Dispatcher calls out, replies back through `respond`. Commands and button
 * clicks are acknowledged first (Slack's 3-second limit); Events API requests are acknowledged by Bolt before
 * these run. Repeated deliveries (Slack retries reuse the event_id) are applied once by the dispatcher.
 */
import type { App, RespondFn } from '@slack/bolt';
import { privately, type Reply } from '../../commands/command.ts';
import { BUTTON_ACTIONS, type ButtonAction, type Redactor } from '../../core/index.ts';
import type { Dispatcher } from '../dispatch.ts';
import { actionOf, buildSlackMessage } from './slack-blocks.ts';
import type { SlackApi, SlackLog } from './slack-types.ts';

export interface SlackListenerDeps {
  readonly dispatcher: Dispatcher;
  readonly log: SlackLog;
  readonly redactor?: Redactor;
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ACTION_ID = new RegExp(`^(?:${BUTTON_ACTIONS.map(escapeRe).join('|')})(?:#\\d+)?$`);
const isButtonAction = (name: string): name is ButtonAction =>
  (BUTTON_ACTIONS as readonly string[]).includes(name);

/** `+1::skin-tone-3` → `+1`: the tone does not change what a reaction means. */
export function canonicalEmoji(reaction: string): string {
  return reaction.replace(/::skin-tone-\d$/, '');
}

/** A message event's fields, read loosely: Slack's message union has dozens of subtypes. */
interface LooseMessage {
  readonly subtype?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly channel?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly text?: string;
}

/** Registers Preflight's listeners on a Bolt app. */
export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { dispatcher, log } = deps;
  const redact = (text: string) => deps.redactor?.redact(text) ?? text;

  const answer = async (reply: Reply, respond: RespondFn, api: SlackApi, channel: string, user: string) => {
    const built = buildSlackMessage({ text: redact(reply.text) }, { overflow: 'cut' });
    const visible = reply.visibility === 'channel';
    try {
      await respond({
        response_type: visible ? 'in_channel' : 'ephemeral',
        replace_original: false,
        text: built.text,
        blocks: [...built.blocks],
      });
    } catch (error) {
      // An expired or unreachable response_url: the person still gets the answer, privately.
      log.warn({ err: (error as Error).message, channel, user }, 'respond failed; answering ephemerally');
      await api
        .apiCall('chat.postEphemeral', { channel, user, text: built.text, blocks: built.blocks })
        .catch((e: unknown) => log.error({ err: (e as Error).message, channel, user }, 'reply lost'));
    }
  };

  /** Runs a dispatch whose failure the person must hear about (Slack has already been acknowledged). */
  const attempt = async (what: string, run: () => Promise<Reply | undefined>): Promise<Reply | undefined> => {
    try {
      return await run();
    } catch (error) {
      log.error({ err: error }, `Slack ${what} failed`);
      return privately('💥 Preflight could not handle that just now (its logs have the details); try again.');
    }
  };

  app.command(/^\/[\w-]+$/, async ({ command, ack, respond, client }) => {
    await ack();
    const reply = await attempt('command', () =>
      dispatcher.command({
        platform: 'slack',
        userId: command.user_id,
        channel: command.channel_id,
        text: `${command.command} ${command.text}`,
        eventId: `command:${command.trigger_id}`,
      }),
    );
    if (reply) await answer(reply, respond, client, command.channel_id, command.user_id);
  });

  app.action(ACTION_ID, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    const name = actionOf(action.action_id);
    if (!isButtonAction(name)) return;
    const container = (body as { container?: { channel_id?: string } }).container;
    const channel = body.channel?.id ?? container?.channel_id ?? '';
    const reply = await attempt('button', () =>
      dispatcher.button({
        platform: 'slack',
        userId: body.user.id,
        channel,
        action: name,
        value: action.value ?? '',
        eventId: `action:${action.action_ts}:${body.user.id}:${action.action_id}`,
      }),
    );
    if (reply) await answer(reply, respond, client, channel, body.user.id);
  });

  const onReaction = async (
    event: { readonly user: string; readonly reaction: string; readonly item: unknown },
    eventId: string,
    added: boolean,
    retryNum: number | undefined,
  ) => {
    const item = event.item as { type?: string; channel?: string; ts?: string };
    if (item.type !== 'message' || !item.channel || !item.ts) return;
    if (retryNum !== undefined) log.debug({ eventId, retry: retryNum }, 'Slack redelivered an event');
    await dispatcher.reaction({
      platform: 'slack',
      userId: event.user,
      channel: item.channel,
      messageId: item.ts,
      emoji: canonicalEmoji(event.reaction),
      added,
      eventId,
    });
  };

  app.event('reaction_added', ({ event, body, context }) =>
    onReaction(event, body.event_id, true, context.retryNum),
  );
  app.event('reaction_removed', ({ event, body, context }) =>
    onReaction(event, body.event_id, false, context.retryNum),
  );

  app.event('message', async ({ event, body }) => {
    const m = event as LooseMessage;
    const fromPerson = (m.subtype === undefined || m.subtype === 'thread_broadcast') && !m.bot_id;
    if (!fromPerson || !m.user || !m.channel || !m.thread_ts || m.thread_ts === m.ts) return;
    await dispatcher.threadMessage({
      platform: 'slack',
      userId: m.user,
      channel: m.channel,
      threadId: m.thread_ts,
      text: m.text ?? '',
      eventId: body.event_id,
    });
  });

  app.error(async (error) => {
    log.error({ err: error }, 'Slack listener failed');
  });
}
