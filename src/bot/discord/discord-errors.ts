/**
 * Discord REST failures as ChatSendError, so the send queue decides: a rate limit (the route's headers said
 * wait, or a 429 with retry_after) holds the channel for that long, 5xx and network errors are retried with
 * backoff, a channel that refuses the bot (Missing Access, Missing Permissions) is `refused` (its messages wait
 * until a person fixes it), a thread that takes no more posts (deleted, archived and locked) closes it, and other
 * refusals are dropped; each says what to fix.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { ChatSendError, MessageGoneError, ThreadClosedError } from '../../core/index.ts';
import { cannotDo, platformAnswered } from '../platform-answer.ts';

/** Discord's JSON error codes that Preflight explains. */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  missingAccess: 50001,
  missingPermissions: 50013,
  invalidFormBody: 50035,
  threadArchived: 50083,
  threadAlreadyCreated: 160004,
  threadLocked: 160005,
} as const;

/** Answers to a post in a thread that no longer takes posts: gone, or archived and locked by a moderator. */
const THREAD_CLOSED: ReadonlySet<number | string> = new Set([
  DISCORD_CODES.unknownChannel,
  DISCORD_CODES.threadArchived,
  DISCORD_CODES.threadLocked,
]);

/** Refusals that last until a person gives the bot access to the channel again. */
const CHANNEL_REFUSED: ReadonlySet<number | string> = new Set([
  DISCORD_CODES.missingAccess,
  DISCORD_CODES.missingPermissions,
]);

function hint(code: number | string, status: number): string {
  switch (code) {
    case DISCORD_CODES.unknownChannel:
      return 'the channel is gone or the bot cannot see it';
    case DISCORD_CODES.unknownMessage:
      return 'the message is gone (deleted?), so it cannot be edited';
    case DISCORD_CODES.missingAccess:
    case DISCORD_CODES.missingPermissions:
      return 'the bot lacks a permission there: give it View Channel, Send Messages, Send Messages in Threads, Create Public Threads, Add Reactions, Attach Files and Read Message History (README "Connect to Discord")';
    case DISCORD_CODES.threadArchived:
    case DISCORD_CODES.threadLocked:
      return 'the thread is archived and locked: a moderator can unlock it';
    case DISCORD_CODES.invalidFormBody:
      return 'Discord refused the message layout (a Preflight bug: please report it)';
    default:
      return status === 401
        ? 'Discord refused the bot token; check DISCORD_TOKEN'
        : 'Discord refused the request';
  }
}

/**
 * Classifies an error thrown posting into `threadId`: one that no longer takes posts (deleted: Unknown Channel;
 * archived and locked) is a ThreadClosedError, the rest as toChatSendError says.
 */
export function toThreadPostError(error: unknown, what: string, threadId: string): ChatSendError {
  if (error instanceof DiscordAPIError && error.status < 500 && THREAD_CLOSED.has(error.code)) {
    const gone = error.code === DISCORD_CODES.unknownChannel;
    const why = gone ? 'the thread is gone (deleted?)' : hint(error.code, error.status);
    return new ThreadClosedError(
      cannotDo(what, platformAnswered('Discord', error.code, error.message), why),
      gone ? { deleted: threadId } : {},
    );
  }
  return toChatSendError(error, what);
}

/** Classifies an error thrown by a REST call made to do `what` (e.g. `post to #deployments`). */
export function toChatSendError(error: unknown, what: string): ChatSendError {
  if (error instanceof ChatSendError) return error;
  if (error instanceof RateLimitError)
    return new ChatSendError(
      'rate-limited',
      `Discord rate-limited ${what} (${error.route})`,
      Math.max(error.retryAfter, error.timeToReset, 0),
    );
  if (error instanceof DiscordAPIError) {
    if (error.status >= 500 || error.status === 408)
      return new ChatSendError('retry', `Discord answered HTTP ${error.status} to ${what}`);
    const said = cannotDo(
      what,
      platformAnswered('Discord', error.code, error.message),
      hint(error.code, error.status),
    );
    if (error.code === DISCORD_CODES.unknownMessage) return new MessageGoneError(said);
    return new ChatSendError(CHANNEL_REFUSED.has(error.code) ? 'refused' : 'drop', said);
  }
  if (error instanceof HTTPError) {
    if (error.status >= 500 || error.status === 408)
      return new ChatSendError('retry', `Discord answered HTTP ${error.status} to ${what}`);
    return new ChatSendError('drop', `cannot ${what}: Discord answered HTTP ${error.status}`);
  }
  return new ChatSendError(
    'retry',
    `could not reach Discord to ${what}: ${(error as Error).message ?? String(error)}`,
  );
}
