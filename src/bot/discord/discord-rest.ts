/** The REST options every Preflight Discord client uses. */
import { createRequire } from 'node:module';
import type { RateLimitData, RESTOptions } from 'discord.js';

/**
 * The connection pool of discord.js's REST client, made by the undici that @discordjs/rest loads itself. Without one,
 * its requests go through undici's process-wide dispatcher, which the first undici loaded installs for every version:
 * once Slack's Socket Mode client (undici 7) is loaded, that is undici 7's, which does not know undici 6's form data,
 * and every Discord post with a file (a report's timeline picture, long output) fails with "action is not a function".
 */
let agent: RESTOptions['agent'] | undefined;
function discordAgent(): RESTOptions['agent'] {
  if (agent === undefined) {
    const undici = createRequire(createRequire(import.meta.url).resolve('@discordjs/rest'))('undici') as {
      Agent: new () => NonNullable<RESTOptions['agent']>;
    };
    agent = new undici.Agent();
  }
  return agent;
}

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
    agent: discordAgent(),
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
