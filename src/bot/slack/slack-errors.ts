/**
 * Slack Web API failures as ChatSendError, so the send queue (not the WebClient) decides: a 429 waits its
 * Retry-After, 5xx and network errors are retried with backoff, a channel that refuses Preflight is `refused`
 * (its messages wait until a person fixes it), a refused token or scope holds every message until a person mends
 * the app, and other permanent failures are dropped; each says what to fix.
 */
import { ChatSendError, MessageGoneError } from '../../core/index.ts';
import { cannotDo, platformAnswered } from '../platform-answer.ts';

/** The fields of @slack/web-api's coded errors that matter here. */
interface SlackApiError {
  readonly code?: string;
  readonly retryAfter?: number;
  readonly statusCode?: number;
  readonly data?: { readonly error?: string; readonly needed?: string };
  readonly message?: string;
}

/** Platform error codes that are worth trying again: Slack's side, not the request. */
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'ratelimited',
]);

/**
 * The bot token refused: every post fails alike until the token is mended (Slack's auth blip, or a new
 * SLACK_BOT_TOKEN and a restart), so the message waits and is tried again, in order, as through a 5xx; dropping it
 * would lose the gate prompt or page for good once the token works again.
 */
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/**
 * The app refused what it asks (a scope missing, a token of the wrong type): every post fails alike until a person
 * adds the scope and reinstalls the app, or sets the right token, so the message waits and is tried again, as for a
 * refused token, rather than a gate prompt or page being dropped for good.
 */
const APP_REFUSED = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission']);

/** Refusals of a channel that last until a person gives Preflight access again (invite, unarchive, allow). */
const CHANNEL_REFUSED = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

function platformError(code: string, needed: string | undefined, what: string): ChatSendError {
  if (code === 'ratelimited') return new ChatSendError('rate-limited', `Slack rate-limited ${what}`);
  if (TRANSIENT.has(code))
    return new ChatSendError('retry', `Slack failed ${what}: ${platformAnswered('Slack', code)}`);
  const hint = ((): string => {
    switch (code) {
      case 'not_in_channel':
        return 'Preflight is not a member of that channel: invite it there with /invite @Preflight';
      case 'channel_not_found':
        return 'the channel does not exist, or it is private and Preflight was not invited (/invite @Preflight)';
      case 'is_archived':
        return 'the channel is archived: unarchive it or change channels: in the runbook';
      case 'restricted_action':
        return "the workspace's settings do not let Preflight post there: allow it, or change channels: in the runbook";
      case 'invalid_auth':
      case 'not_authed':
      case 'token_revoked':
      case 'token_expired':
      case 'account_inactive':
        return 'the bot token was refused: check SLACK_BOT_TOKEN and that the app is still installed';
      case 'missing_scope':
        return `the app lacks the ${needed ? `${needed} scope` : 'scope it needs (the log of the failed call names it)'}: add it under OAuth & Permissions → Bot Token Scopes (slack-manifest.yaml lists every scope Preflight uses) and reinstall the app to the workspace; the messages wait and go out then`;
      case 'not_allowed_token_type':
        return 'SLACK_BOT_TOKEN is not a bot token; set it to the Bot User OAuth Token (xoxb-…, OAuth & Permissions) and restart Preflight; the messages wait and go out then';
      case 'no_permission':
        return 'the token lacks a permission for this: check the app’s Bot Token Scopes against slack-manifest.yaml, reinstall the app, and invite it to the channel (/invite @Preflight); the messages wait and go out then';
      case 'message_not_found':
      case 'cant_update_message':
        return 'the message is gone (deleted?), so it cannot be edited';
      case 'invalid_blocks':
      case 'invalid_blocks_format':
        return 'Slack refused the message layout (a Preflight bug: please report it)';
      default:
        return 'Slack refused the request';
    }
  })();
  const said = cannotDo(what, platformAnswered('Slack', code), hint);
  if (code === 'message_not_found') return new MessageGoneError(said);
  if (TOKEN_REFUSED.has(code) || APP_REFUSED.has(code)) return new ChatSendError('retry', said);
  return new ChatSendError(CHANNEL_REFUSED.has(code) ? 'refused' : 'drop', said);
}

/** Whether Slack refused the call for a scope or token type the app lacks (a file upload then gives up at once). */
export function lacksScope(error: unknown): boolean {
  const e = (error ?? {}) as SlackApiError;
  return e.code === 'slack_webapi_platform_error' && APP_REFUSED.has(e.data?.error ?? '');
}

/** Classifies an error thrown by a WebClient call made to do `what` (e.g. `post to #deployments`). */
export function toChatSendError(error: unknown, what: string): ChatSendError {
  if (error instanceof ChatSendError) return error;
  const e = (error ?? {}) as SlackApiError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new ChatSendError(
        'rate-limited',
        `Slack rate-limited ${what}`,
        Math.max(0, (e.retryAfter ?? 1) * 1000),
      );
    case 'slack_webapi_platform_error':
      return platformError(e.data?.error ?? 'unknown_error', e.data?.needed, what);
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      if (status >= 500 || status === 408)
        return new ChatSendError('retry', `Slack answered HTTP ${status} to ${what}`);
      return new ChatSendError('drop', `cannot ${what}: Slack answered HTTP ${status}`);
    }
    default:
      // Network errors (slack_webapi_request_error), timeouts, a 429 without Retry-After: try again later.
      return new ChatSendError('retry', `could not reach Slack to ${what}: ${e.message ?? String(error)}`);
  }
}
