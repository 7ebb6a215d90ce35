/** The REST options every Preflight Discord client uses. */
import type { RateLimitData, RESTOptions } from 'discord.js';

/**
 * Writes (posts, edits, threads) on channel routes go back to the send queue when rate-limited, whether the
 * route's headers said to wait or Discord answered 429: the queue holds the channel for Discord's wait, durably.
 * Everything else (interaction answers, lookups) waits inside discord.js.
 */
export const sendQueueDecides = (data: RateLimitData): boolean =>
  data.method.toUpperCase() !== 'GET' && data.route.startsWith('/channels/');

/** API v10 at DISCORD_API_URL (Discord's own by default), a bounded wait per request. */
export function discordRestOptions(apiUrl: string | undefined): Partial<RESTOptions> {
  return {
    version: '10',
    timeout: 15_000,
    rejectOnRateLimit: sendQueueDecides,
    ...(apiUrl !== undefined && { api: apiUrl }),
  };
}

/**
 * The REST options for answers sent outside the send queue (a refusal by direct message, an interaction's answer):
 * discord.js waits out every rate limit itself, since nothing else would try such a message again.
 */
export function discordAnswerRestOptions(apiUrl: string | undefined): Partial<RESTOptions> {
  const { rejectOnRateLimit: _queueDecides, ...options } = discordRestOptions(apiUrl);
  return options;
}
