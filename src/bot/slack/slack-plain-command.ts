/**
 * A plain slash command: what the ingress thread may record and acknowledge itself, ahead of the bot's own work
 * (the acknowledgement then waits for no command being handled and no collection of the bot's heap). Plain is a
 * request Bolt would hand straight to the command listener: a form with every field that listener reads, a
 * command named as the listener takes it (`/word`), Slack's signature within its five minutes. Anything else (an
 * unsigned or stale request, a form that is odd in any way, an interaction, an event) goes to Bolt in the bot,
 * which answers it as it always has.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parse } from 'node:querystring';
import { FORM } from './slack-body-guard.ts';
import { fromTheFuture } from './slack-clock-skew.ts';
import type { SlashCommandFields } from './slack-command-record.ts';
import { unreadableCommand } from './slack-payload-check.ts';
import { signedBySlack } from './slack-signature.ts';
import { COMMAND_NAME } from './slack-unhandled.ts';

const FIELDS = ['command', 'text', 'trigger_id', 'user_id', 'channel_id', 'response_url'] as const;

/** The command's fields when the request is a plain slash command (see above), else undefined. */
export function plainSlashCommand(
  headers: IncomingHttpHeaders,
  body: string,
  signingSecret: string,
  nowMs: number,
): SlashCommandFields | undefined {
  if (headers['content-type'] !== FORM || fromTheFuture(headers, nowMs)) return undefined;
  const form = parse(body);
  if (form.payload !== undefined || form.ssl_check !== undefined) return undefined;
  // A field sent twice parses as a list: odd, so Bolt's.
  if (!FIELDS.every((name) => typeof form[name] === 'string')) return undefined;
  const fields = form as Record<(typeof FIELDS)[number], string>;
  if (!COMMAND_NAME.test(fields.command) || unreadableCommand(fields) !== undefined) return undefined;
  if (!signedBySlack(headers, body, signingSecret)) return undefined;
  return {
    command: fields.command,
    text: fields.text,
    trigger_id: fields.trigger_id,
    user_id: fields.user_id,
    channel_id: fields.channel_id,
    response_url: fields.response_url,
  };
}
