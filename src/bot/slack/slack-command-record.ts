/**
 * A slash command as the inbox records it, and the recording itself: one way for Bolt's command listener
 * (slack-listeners.ts) and for the ingress thread that acknowledges plain commands ahead of the bot's own work
 * (slack-plain-command.ts).
 */
import { type ChatInbox, type InboxEntry, notRecordedText } from '../../core/index.ts';
import type { SlackLog } from './slack-types.ts';

/** The fields of a slash command Preflight reads. */
export interface SlashCommandFields {
  readonly command: string;
  readonly text: string;
  readonly trigger_id: string;
  readonly user_id: string;
  readonly channel_id: string;
  readonly response_url: string;
}

/**
 * What a person typed, from the text Slack sends (a slash command's, a message's), where `&`, `<` and `>` come as
 * `&amp;`, `&lt;` and `&gt;`: read back once, `&amp;` last, so a typed `&lt;` stays `&lt;`.
 */
export function typedText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The inbox entry of a slash command, keyed by its trigger id (a redelivery is the same entry). */
export function commandEntry(command: SlashCommandFields, receivedAt = Date.now()): InboxEntry {
  return {
    platform: 'slack',
    id: `command:${command.trigger_id}`,
    userId: command.user_id,
    channel: command.channel_id,
    event: { type: 'command', text: `${command.command} ${typedText(command.text)}` },
    replyTo: command.response_url,
    receivedAt,
  };
}

/** Records an entry; resolves undefined when recorded, else with what to tell the person (and says it in the log). */
export function recordOrSay(
  inbox: Pick<ChatInbox, 'record'>,
  log: Pick<SlackLog, 'error'>,
): (entry: InboxEntry) => Promise<string | undefined> {
  return async (entry) => {
    try {
      await inbox.record(entry);
      return undefined;
    } catch (error) {
      log.error({ err: (error as Error).message, entry: entry.id }, 'could not record a Slack request');
      return notRecordedText(error);
    }
  };
}
